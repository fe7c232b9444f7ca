package dev.pharos.actuator.dns.embedded;

import dev.pharos.actuator.dns.geo.GeoLocator;
import dev.pharos.config.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The authoritative logic, as a pure function of a parsed query and a zone snapshot: no I/O, no
 * clock, no state. Transport matters only when the answer is rendered ({@link Wire}).
 *
 * <p>What it does, and why:
 *
 * <ul>
 *   <li>AA on every answer from the zone; REFUSED (without AA) for names outside it, for other
 *       classes and for zone transfers (AXFR and IXFR alike), which this server does not offer. An
 *       IXFR query carries the client's SOA in its authority section (RFC 1995), so that section is
 *       not a format error there.
 *   <li>NXDOMAIN when the name does not exist, NODATA (NOERROR, empty answer) when it exists
 *       without the type, including empty non-terminals (RFC 8020); both with the SOA in the
 *       authority section at min(SOA TTL, minimum) so resolvers cache the negative answer (RFC
 *       2308).
 *   <li>CNAME chains followed inside the zone; the rcode is the last name's (RFC 6604). A chain
 *       that leaves the zone stops there: the resolver follows it.
 *   <li>ANY gets one RRset (RFC 8482): full ANY answers are the amplifier's favourite.
 *   <li>NS answers carry the in-zone name servers' addresses (glue) in the additional section, as
 *       much of it as fits ({@link Wire#render}).
 *   <li>EDNS: an OPT with our 1232-byte payload in every answer to a query that had one; the DO bit
 *       echoed (RFC 3225); a version above 0 gets BADVERS (RFC 6891). A query with a malformed
 *       option that its RFC says to reject gets FORMERR with the OPT and the question ({@link
 *       QueryParser}): without the OPT a resolver would take the FORMERR to mean "no EDNS here".
 *   <li>The question is echoed as it came, so its letter case too (resolvers using 0x20 check it).
 * </ul>
 */
public final class Answerer {
    /** The UDP payload we advertise: the DNS Flag Day 2020 size, safe from fragmentation. */
    public static final int EDNS_PAYLOAD = 1232;

    /** CNAME steps followed at most (a loop in the static data stops here). */
    static final int MAX_CHAIN = 8;

    private Answerer() {}

    /** The response to {@code query} from {@code zone}. */
    public static Message answer(Message query, ZoneData zone) {
        return answer(query, zone, false);
    }

    /**
     * Who asked, for geo names: the query's source address, and what the answer made of it.
     * Mutable, one per query.
     */
    static final class Client {
        private final InetAddress source;
        private ClientSubnet ecs;
        private int scope;
        private boolean located;
        private GeoName geo;
        private int type;
        private int answer;

        /**
         * @param source the query's source address (null: unknown)
         */
        Client(InetAddress source) {
            this.source = source;
        }

        /** Whether the answer depended on where the client is (it must not be cached as is). */
        boolean located() {
            return located;
        }

        /** The geo name that located the answer (null: none did). */
        GeoName geo() {
            return geo;
        }

        /** The type it was asked for (A or AAAA). */
        int type() {
            return type;
        }

        /** The number of the RRset it answered with, among the name's ({@link GeoName#answers}). */
        int answer() {
            return answer;
        }
    }

    static Message answer(Message query, ZoneData zone, boolean badOption) {
        return answer(query, zone, badOption, new Client(null));
    }

    /**
     * The response, answering geo names for {@code client}: from the query's EDNS Client Subnet
     * (RFC 7871) when it has one, else from its source address. A response to a query with a Client
     * Subnet option carries it back (family, source prefix and address as asked) with the scope
     * that decided the answer, 0 when the answer does not depend on the client.
     */
    static Message answer(Message query, ZoneData zone, boolean badOption, Client client) {
        return answer(query, zone, badOption, null, client);
    }

    /**
     * @param subnet the query's Client Subnet option when the parser had to set it aside (see
     *     {@link QueryParser}), else null: it is then read from the query's OPT
     */
    static Message answer(
            Message query, ZoneData zone, boolean badOption, ClientSubnet subnet, Client client) {
        OPTRecord queryOpt = query.getOPT();
        if (queryOpt != null && !badOption && queryOpt.getVersion() == 0) {
            client.ecs = subnet;
            for (EDNSOption o : queryOpt.getOptions(EDNSOption.Code.CLIENT_SUBNET)) {
                if (client.ecs == null) {
                    byte[] wire = o.toWire();
                    client.ecs = ClientSubnet.parse(wire, 4, wire.length - 4);
                }
            }
        }
        Message r = answer0(query, zone, badOption, client);
        if (client.ecs != null) {
            OPTRecord opt = r.getOPT();
            if (opt != null) {
                r.removeRecord(opt, Section.ADDITIONAL);
                r.addRecord(
                        new OPTRecord(
                                opt.getPayloadSize(),
                                opt.getExtendedRcode(),
                                opt.getVersion(),
                                opt.getFlags(),
                                new GenericEDNSOption(
                                        EDNSOption.Code.CLIENT_SUBNET,
                                        client.ecs.echo(client.scope))),
                        Section.ADDITIONAL);
            }
        }
        return r;
    }

    /** A geo name's answer of this type for the client, recording the choice; null: none. */
    private static List<Record> located(GeoName geo, int type, Client client, ZoneData zone) {
        GeoName.Choice c = locate(geo, type, client.ecs, client.source, zone.locator());
        if (c == null) {
            return null;
        }
        client.located = true;
        client.scope = c.scope();
        client.geo = geo;
        client.type = type;
        client.answer = c.id();
        return c.rrset();
    }

    /**
     * The choice of a geo name for a client: located by its Client Subnet option when the query had
     * one, else by the query's source address; the scope in the option's terms (an IPv4-mapped
     * subnet is located as IPv4 and its scope given back in IPv6 terms). The one place this is
     * decided: the full path and the answer cache's hits both ask it. Null: the name has no RRset
     * of this type.
     *
     * @param ecs the query's Client Subnet option, or null
     * @param source the query's source address, or null (unknown)
     */
    static GeoName.Choice locate(
            GeoName geo, int type, ClientSubnet ecs, InetAddress source, GeoLocator locator) {
        byte[] address;
        int prefix;
        int offset = 0;
        if (ecs != null) {
            prefix = ecs.source();
            address = ecs.address();
            if (prefix >= 96 && Cidr.isV4Mapped(address)) {
                offset = 96; // IPv4-mapped: located as IPv4, scope in IPv6 terms
                prefix -= 96;
                address = java.util.Arrays.copyOfRange(address, 12, 16);
            }
            if (ecs.source() == 0) {
                address = null; // RFC 7871 section 7.1.2: the client asks not to be located
            }
        } else if (source != null) {
            address = source.getAddress();
            if (Cidr.isV4Mapped(address)) {
                address = java.util.Arrays.copyOfRange(address, 12, 16);
            }
            prefix = address.length * 8;
        } else {
            address = null;
            prefix = 0;
        }
        GeoName.Choice c =
                address == null ? geo.unknown(type) : geo.choose(type, address, prefix, locator);
        if (c == null || c.scope() == 0 || offset == 0) {
            return c;
        }
        return new GeoName.Choice(c.rrset(), c.scope() + offset, c.location(), c.id());
    }

    /**
     * The same, for a query that may have had a malformed EDNS option.
     *
     * @param badOption the query's OPT held an option its RFC says to answer with FORMERR (see
     *     {@link QueryParser}); {@code query} is what was left once it was set aside
     */
    private static Message answer0(Message query, ZoneData zone, boolean badOption, Client client) {
        Header qh = query.getHeader();
        Message r = new Message(qh.getID());
        Header h = r.getHeader();
        h.setFlag(Flags.QR);
        h.setOpcode(qh.getOpcode());
        copyFlag(qh, h, Flags.RD);
        copyFlag(qh, h, Flags.CD);
        List<Record> question = query.getSection(Section.QUESTION);
        if (question.size() == 1) {
            r.addRecord(question.get(0), Section.QUESTION);
        }
        List<Record> additional = query.getSection(Section.ADDITIONAL);
        OPTRecord opt = null;
        int opts = 0;
        for (Record a : additional) {
            if (a instanceof OPTRecord o) {
                opt = o;
                opts++;
            }
        }
        if (opt != null) {
            boolean dnssecOk = (opt.getFlags() & ExtendedFlags.DO) != 0;
            int xrcode = opt.getVersion() > 0 ? Rcode.BADVERS >> 4 : 0;
            r.addRecord(
                    new OPTRecord(EDNS_PAYLOAD, xrcode, 0, dnssecOk ? ExtendedFlags.DO : 0),
                    Section.ADDITIONAL);
            if (xrcode != 0) {
                return r;
            }
        }
        if (badOption) {
            return rcode(r, Rcode.FORMERR);
        }
        if (qh.getOpcode() != Opcode.QUERY) {
            return rcode(r, Rcode.NOTIMP);
        }
        boolean ixfr = question.size() == 1 && question.get(0).getType() == Type.IXFR;
        if (question.size() != 1
                || !query.getSection(Section.ANSWER).isEmpty()
                || (!ixfr && !query.getSection(Section.AUTHORITY).isEmpty())
                || opts > 1
                || (opt != null && !opt.getName().equals(Name.root))) {
            return rcode(r, Rcode.FORMERR);
        }
        Record q = question.get(0);
        int type = q.getType();
        if (q.getDClass() != DClass.IN
                || type == Type.AXFR
                || type == Type.IXFR
                || !q.getName().subdomain(zone.origin())) {
            return rcode(r, Rcode.REFUSED);
        }
        h.setFlag(Flags.AA);
        resolve(r, q.getName(), type, zone, client);
        return r;
    }

    private static void resolve(Message r, Name qname, int type, ZoneData zone, Client client) {
        Name name = qname;
        List<Name> visited = new ArrayList<>();
        while (true) {
            Map<Integer, List<Record>> node = zone.node(name);
            if (node == null) {
                if (!zone.isEmptyNonTerminal(name)) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                r.addRecord(zone.negativeSoa(), Section.AUTHORITY);
                return;
            }
            GeoName geo = zone.geo(name);
            if (geo != null) {
                int asked = type;
                if (type == Type.ANY && !node.isEmpty()) {
                    asked = node.keySet().iterator().next();
                }
                List<Record> rrset = located(geo, asked, client, zone);
                if (rrset != null && node.containsKey(asked)) {
                    rrset.forEach(x -> r.addRecord(x, Section.ANSWER));
                    return;
                }
            }
            if (type == Type.ANY) {
                if (node.isEmpty()) {
                    r.addRecord(zone.negativeSoa(), Section.AUTHORITY);
                } else {
                    // the lowest type: A/AAAA for a managed name, NS at the apex
                    node.values().iterator().next().forEach(x -> r.addRecord(x, Section.ANSWER));
                }
                return;
            }
            List<Record> rrset = node.get(type);
            if (rrset != null) {
                rrset.forEach(x -> r.addRecord(x, Section.ANSWER));
                if (type == Type.NS) {
                    glue(r, rrset, zone);
                }
                return;
            }
            List<Record> cname = node.get(Type.CNAME);
            if (cname == null) {
                r.addRecord(zone.negativeSoa(), Section.AUTHORITY);
                return;
            }
            visited.add(name);
            r.addRecord(cname.get(0), Section.ANSWER);
            name = ((CNAMERecord) cname.get(0)).getTarget();
            if (!name.subdomain(zone.origin())
                    || visited.contains(name)
                    || visited.size() >= MAX_CHAIN) {
                return;
            }
        }
    }

    private static void glue(Message r, List<Record> nsRecords, ZoneData zone) {
        for (Record ns : nsRecords) {
            Name target = ((NSRecord) ns).getTarget();
            if (target.subdomain(zone.origin())) {
                zone.addresses(target).forEach(a -> r.addRecord(a, Section.ADDITIONAL));
            }
        }
    }

    private static Message rcode(Message r, int rcode) {
        r.getHeader().setRcode(rcode);
        return r;
    }

    private static void copyFlag(Header from, Header to, int flag) {
        if (from.getFlag(flag)) {
            to.setFlag(flag);
        }
    }
}
