package dev.pharos.actuator.dns.embedded;

import java.io.IOException;
import java.util.Arrays;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Parses a query and decides what a malformed EDNS option means. dnsjava refuses the whole message
 * when one option in its OPT does not parse, which left the server one answer: a FORMERR built from
 * the header alone, without the OPT, which resolvers read as "this server has no EDNS" (RFC 6891
 * section 6.1.1 wants the OPT in every response to a query that had one). The RFCs decide per
 * option instead:
 *
 * <ul>
 *   <li>COOKIE (RFC 7873 section 5.2.2: a length that holds no client cookie, or a server cookie
 *       outside 8 to 32 bytes) and CLIENT-SUBNET (RFC 7871: an unknown family, a prefix longer than
 *       the address, more or fewer address octets than the prefix needs, bits set beyond it):
 *       FORMERR, answered with the OPT and the question ({@link Answerer}).
 *   <li>Any other option dnsjava finds malformed (a TCP keepalive or extended error of the wrong
 *       length): ignored like an option this server does not know (RFC 6891 section 6.1.2); RFC
 *       7828 says so outright for a keepalive over UDP, and nothing here uses these options.
 *   <li>Options whose lengths do not add up to the OPT's: the OPT itself is malformed, FORMERR.
 * </ul>
 *
 * The option is set aside by rewriting the packet: a malformed option's code becomes one from the
 * local-use range, which dnsjava keeps as opaque bytes and nothing reads.
 */
final class QueryParser {
    // the options whose RFC says a malformed one is answered with FORMERR
    private static final int CLIENT_SUBNET = EDNSOption.Code.CLIENT_SUBNET;
    private static final int COOKIE = EDNSOption.Code.COOKIE;

    /** RFC 6891 section 9: 65001-65534 are for local and experimental use. */
    private static final int SET_ASIDE = 65534;

    private QueryParser() {}

    /**
     * A parsed query; {@code badOption}: its OPT had an option to answer with FORMERR; {@code
     * clientSubnet}: its Client Subnet option when dnsjava refused a valid one (set aside in {@code
     * query}), else null.
     */
    record Parsed(Message query, boolean badOption, ClientSubnet clientSubnet) {
        Parsed(Message query, boolean badOption) {
            this(query, badOption, null);
        }
    }

    /**
     * @throws IOException or a RuntimeException from dnsjava when the packet is malformed beyond
     *     its EDNS options
     */
    static Parsed parse(byte[] packet) throws IOException {
        try {
            return new Parsed(new Message(packet), false);
        } catch (IOException | RuntimeException e) {
            Repair repair = repair(packet);
            if (repair == null) {
                throw e;
            }
            try {
                return new Parsed(new Message(repair.packet()), repair.bad(), repair.subnet());
            } catch (IOException | RuntimeException again) {
                throw e; // broken elsewhere too: as if the options had been fine
            }
        }
    }

    private record Repair(byte[] packet, boolean bad, ClientSubnet subnet) {}

    /**
     * The packet with its malformed options set aside, or null when it has no OPT that could be
     * found, or nothing in its OPTs needed setting aside.
     */
    private static Repair repair(byte[] packet) {
        byte[] p = packet.clone();
        int n = p.length;
        if (n < Wire.HEADER) {
            return null;
        }
        int i = Wire.HEADER;
        for (int q = Wire.u16(p, 4); q > 0; q--) {
            i = skipName(p, i);
            if (i < 0 || i + 4 > n) {
                return null;
            }
            i += 4;
        }
        int beforeAdditional = Wire.u16(p, 6) + Wire.u16(p, 8);
        int records = beforeAdditional + Wire.u16(p, 10);
        boolean changed = false;
        boolean bad = false;
        ClientSubnet subnet = null;
        for (int r = 0; r < records; r++) {
            i = skipName(p, i);
            if (i < 0 || i + 10 > n) {
                return null;
            }
            int rdata = i + 10;
            int end = rdata + Wire.u16(p, i + 8);
            if (end > n) {
                return null;
            }
            if (r >= beforeAdditional && Wire.u16(p, i) == Type.OPT) {
                int j = rdata;
                while (j < end) {
                    int length = j + 4 <= end ? Wire.u16(p, j + 2) : -1;
                    if (length < 0 || j + 4 + length > end) {
                        // the OPT itself is malformed; cut it there if nothing follows it
                        if (end != n) {
                            return null;
                        }
                        int rdlength = j - rdata;
                        p[i + 8] = (byte) (rdlength >> 8);
                        p[i + 9] = (byte) rdlength;
                        return new Repair(Arrays.copyOf(p, j), true, null);
                    }
                    int code = Wire.u16(p, j);
                    try {
                        EDNSOption.fromWire(Arrays.copyOfRange(p, j, j + 4 + length));
                    } catch (IOException | RuntimeException e) {
                        // dnsjava refuses an IPv4-mapped IPv6 subnet that RFC 7871 allows
                        ClientSubnet valid =
                                code == CLIENT_SUBNET ? ClientSubnet.parse(p, j + 4, length) : null;
                        if (valid != null && subnet == null) {
                            subnet = valid;
                        } else {
                            bad |= code == COOKIE || code == CLIENT_SUBNET;
                        }
                        p[j] = (byte) (SET_ASIDE >> 8);
                        p[j + 1] = (byte) SET_ASIDE;
                        changed = true;
                    }
                    j += 4 + length;
                }
            }
            i = end;
        }
        return changed ? new Repair(p, bad, subnet) : null;
    }

    /** Where the name at {@code i} ends (after its last label or pointer), or -1. */
    private static int skipName(byte[] p, int i) {
        while (i < p.length) {
            int len = p[i] & 0xFF;
            if (len == 0) {
                return i + 1;
            }
            if ((len & 0xC0) == 0xC0) {
                return i + 2 <= p.length ? i + 2 : -1;
            }
            if (len > 63) {
                return -1;
            }
            i += len + 1;
        }
        return -1;
    }
}
