package dev.pharos.actuator.dns.embedded;

import java.util.Arrays;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Wire-format helpers: size limits, rendering with truncation, answers to unparsable packets. */
final class Wire {
    static final int HEADER = 12;
    static final int PLAIN_UDP_LIMIT = 512;
    static final int TCP_LIMIT = 65535;

    private Wire() {}

    /**
     * The largest UDP response the client takes: 512 bytes without EDNS, else its advertised size
     * capped at ours (RFC 6891 section 6.2.5 floors it at 512).
     */
    static int udpLimit(Message query) {
        OPTRecord opt = query.getOPT();
        if (opt == null) {
            return PLAIN_UDP_LIMIT;
        }
        return Math.max(PLAIN_UDP_LIMIT, Math.min(opt.getPayloadSize(), Answerer.EDNS_PAYLOAD));
    }

    /**
     * The response in at most {@code limit} bytes. When the answer and authority sections do not
     * fit, the client gets the question (and OPT) with TC set and nothing else: a partial RRset
     * would be cached as if complete, while TC makes it retry over TCP for the whole answer. The
     * additional section (glue) is extra information: what does not fit is left out, whole RRsets
     * in order, without TC (RFC 2181 section 9; these are answers, not referrals, so RFC 9471's
     * rule for a referral's glue does not apply).
     */
    static byte[] render(Message response, int limit) {
        byte[] full = response.toWire();
        if (full.length <= limit) {
            return full;
        }
        Message core = response.clone();
        core.removeAllRecords(Section.ADDITIONAL);
        OPTRecord opt = response.getOPT();
        if (opt != null) {
            core.addRecord(opt, Section.ADDITIONAL);
        }
        byte[] out = core.toWire();
        if (out.length > limit) {
            return truncated(response).toWire();
        }
        for (RRset extra : response.getSectionRRsets(Section.ADDITIONAL)) {
            if (extra.getType() == Type.OPT) {
                continue;
            }
            extra.rrs(false).forEach(r -> core.addRecord(r, Section.ADDITIONAL));
            byte[] more = core.toWire();
            if (more.length > limit) {
                break; // the first RRset that does not fit ends the section, as in Knot
            }
            out = more;
        }
        return out;
    }

    /** The response reduced to header, question and OPT, with TC set. */
    static Message truncated(Message response) {
        Header from = response.getHeader();
        // a fresh header: a clone would keep the full response's section counts
        Message t = new Message(from.getID());
        Header h = t.getHeader();
        for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
            if (from.getFlag(flag)) {
                h.setFlag(flag);
            }
        }
        h.setFlag(Flags.TC);
        h.setOpcode(from.getOpcode());
        h.setRcode(from.getRcode());
        response.getSection(Section.QUESTION).forEach(q -> t.addRecord(q, Section.QUESTION));
        OPTRecord opt = response.getOPT();
        if (opt != null) {
            t.addRecord(opt, Section.ADDITIONAL);
        }
        return t;
    }

    /**
     * A FORMERR for a packet dnsjava could not parse, built from its header alone (ID, opcode, RD);
     * null when there is no header or the packet is itself a response (answering responses would
     * let two servers loop).
     */
    static byte[] formErr(byte[] packet) {
        if (packet.length < HEADER || isResponse(packet)) {
            return null;
        }
        byte[] out = new byte[HEADER];
        out[0] = packet[0];
        out[1] = packet[1];
        // QR=1, opcode and RD as asked; AA, TC, RA, Z, AD, CD clear
        out[2] = (byte) (0x80 | (packet[2] & 0x78) | (packet[2] & 0x01));
        out[3] = (byte) Rcode.FORMERR;
        return out;
    }

    static int u16(byte[] p, int at) {
        return ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF);
    }

    static boolean isResponse(byte[] packet) {
        return (packet[2] & 0x80) != 0;
    }

    /**
     * For rate limiting: the empty response with TC set that sends a real client to TCP. Built from
     * the bytes (header, and the question if there is one simple question), because limited packets
     * are not parsed: a flood should cost as little as possible. It is never larger than the query,
     * so slipping amplifies nothing.
     */
    static byte[] slip(byte[] packet) {
        int end = questionEnd(packet);
        byte[] out = Arrays.copyOf(packet, end < 0 ? HEADER : end);
        out[2] = (byte) (0x80 | (packet[2] & 0x78) | 0x02 | (packet[2] & 0x01));
        out[3] = 0;
        Arrays.fill(out, 4, HEADER, (byte) 0);
        out[5] = (byte) (end < 0 ? 0 : 1);
        return out;
    }

    /** Where the only question ends, or -1 if there is not exactly one uncompressed question. */
    static int questionEnd(byte[] p) {
        if (p.length < HEADER + 5 || p[4] != 0 || p[5] != 1) {
            return -1;
        }
        int i = HEADER;
        while (i < p.length && p[i] != 0) {
            int len = p[i] & 0xFF;
            if (len > 63) {
                return -1;
            }
            i += len + 1;
        }
        return i + 5 <= p.length ? i + 5 : -1;
    }
}
