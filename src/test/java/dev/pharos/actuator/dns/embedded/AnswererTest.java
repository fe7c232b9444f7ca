package dev.pharos.actuator.dns.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.IpLiterals;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The authoritative logic, without sockets: every behaviour of a correct authoritative server. */
class AnswererTest {
    private final ZoneData zone = TestZone.zone();

    static Message query(String name, int type) {
        return Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN));
    }

    static Message edns(Message q, int payload, int version, int flags) {
        q.addRecord(new OPTRecord(payload, 0, version, flags), Section.ADDITIONAL);
        return q;
    }

    private Message ask(String name, int type) {
        return Answerer.answer(query(name, type), zone);
    }

    static List<String> rdata(Message m, int section) {
        return m.getSection(section).stream().map(AnswererTest::rdata).sorted().toList();
    }

    /** Record data as text, IPv6 compressed (dnsjava writes every zero group out). */
    static String rdata(Record r) {
        return r instanceof AAAARecord a ? IpLiterals.toText(a.getAddress()) : r.rdataToString();
    }

    @Test
    void aManagedRoundRobinNameGetsEveryAddressWithTheAuthoritativeFlag() {
        Message q = query("cdn.example.test.", Type.A);
        q.getHeader().setFlag(Flags.RD);
        Message r = Answerer.answer(q, zone);
        assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
        assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.RD)).as("RD copied").isTrue();
        assertThat(r.getHeader().getFlag(Flags.RA)).as("no recursion here").isFalse();
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(rdata(r, Section.ANSWER)).containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
        assertThat(r.getSection(Section.ANSWER)).allMatch(x -> x.getTTL() == 20);
        assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
    }

    @Test
    void anAliasAndTheIpv6FamilyAreServed() {
        assertThat(rdata(ask("europe.example.test.", Type.A), Section.ANSWER))
                .containsExactly("127.0.1.1");
        assertThat(rdata(ask("cdn.example.test.", Type.AAAA), Section.ANSWER))
                .containsExactly("::1");
    }

    @Test
    void aMissingNameIsNxdomainWithTheSoaAtTheNegativeTtl() {
        Message r = ask("nothere.example.test.", Type.A);
        assertThat(r.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(r.getSection(Section.AUTHORITY)).hasSize(1);
        SOARecord soa = (SOARecord) r.getSection(Section.AUTHORITY).get(0);
        assertThat(soa.getName()).isEqualTo(Name.fromConstantString("example.test."));
        // RFC 2308: min(SOA TTL 3600, SOA minimum 30)
        assertThat(soa.getTTL()).isEqualTo(30);
        assertThat(soa.getMinimum()).isEqualTo(30);
        assertThat(soa.getSerial()).isEqualTo(1_700_000_000L);
    }

    @Test
    void anExistingNameWithoutTheTypeIsNodataWithTheSoa() {
        Message r = ask("cdn.example.test.", Type.TXT);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(r.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        assertThat(r.getSection(Section.AUTHORITY).get(0).getTTL()).isEqualTo(30);
    }

    @Test
    void anEmptyNonTerminalIsNodataNotNxdomain() {
        Message r = ask("ent.example.test.", Type.A);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        assertThat(rdata(ask("deep.ent.example.test.", Type.A), Section.ANSWER))
                .containsExactly("192.0.2.10");
    }

    @Test
    void aManagedNameWithNoAddressesLeftIsNodataNotNxdomain() {
        Map<RecordKey, RecordSet> managed = new TreeMap<>(zone.managed());
        managed.remove(new RecordKey("cdn.example.test", "AAAA"));
        managed.put(
                new RecordKey("cdn.example.test", "A"),
                RecordSet.of("cdn.example.test", "A", 20, List.of()));
        ZoneData emptied = zone.with(managed, zone.serial() + 1);
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Message r = Answerer.answer(query("cdn.example.test.", type), emptied);
            assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(r.getSection(Section.ANSWER)).isEmpty();
            assertThat(r.getSection(Section.AUTHORITY))
                    .singleElement()
                    .isInstanceOf(SOARecord.class);
        }
    }

    @Test
    void namesOutsideTheZoneOtherClassesAndTransfersAreRefusedWithoutAa() {
        for (Message q :
                List.of(
                        query("example.com.", Type.A),
                        query("test.", Type.SOA),
                        query("xexample.test.", Type.A),
                        query("example.test.", Type.AXFR),
                        query("example.test.", Type.IXFR),
                        Message.newQuery(
                                Record.newRecord(
                                        Name.fromConstantString("version.bind."),
                                        Type.TXT,
                                        DClass.CH)))) {
            Message r = Answerer.answer(q, zone);
            assertThat(r.getRcode()).as(q.getQuestion().toString()).isEqualTo(Rcode.REFUSED);
            assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
            assertThat(r.getSection(Section.ANSWER)).isEmpty();
        }
    }

    @Test
    void aCnameChainInsideTheZoneIsFollowedToTheAddresses() {
        Message r = ask("chain1.example.test.", Type.A);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        List<Record> answer = r.getSection(Section.ANSWER);
        assertThat(answer).hasSize(6);
        assertThat(answer.subList(0, 3))
                .extracting(x -> ((CNAMERecord) x).getTarget().toString())
                .containsExactly("chain2.example.test.", "www.example.test.", "cdn.example.test.");
        assertThat(answer.subList(3, 6)).allMatch(x -> x.getType() == Type.A);
    }

    @Test
    void aCnameLeavingTheZoneStopsThereForTheResolverToFollow() {
        Message r = ask("ext.example.test.", Type.A);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(rdata(r, Section.ANSWER)).containsExactly("target.example.net.");
        assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
    }

    @Test
    void aCnameToAMissingNameIsNxdomainForTheTarget() {
        Message r = ask("dangling.example.test.", Type.A);
        assertThat(r.getRcode()).as("RFC 6604: the last name's rcode").isEqualTo(Rcode.NXDOMAIN);
        assertThat(rdata(r, Section.ANSWER)).containsExactly("nothing.example.test.");
        assertThat(r.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void aCnameLoopEndsWithoutRepeatingItself() {
        Message r = ask("loop1.example.test.", Type.A);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(rdata(r, Section.ANSWER))
                .containsExactly("loop1.example.test.", "loop2.example.test.");
    }

    @Test
    void aQueryForTheCnameItselfGetsOnlyTheCname() {
        Message r = ask("www.example.test.", Type.CNAME);
        assertThat(rdata(r, Section.ANSWER)).containsExactly("cdn.example.test.");
    }

    @Test
    void anyGetsOneRrsetOnly() {
        Message cdn = ask("cdn.example.test.", Type.ANY);
        assertThat(cdn.getSection(Section.ANSWER)).hasSize(3).allMatch(x -> x.getType() == Type.A);
        Message apex = ask("example.test.", Type.ANY);
        assertThat(apex.getSectionRRsets(Section.ANSWER)).hasSize(1);
        Message nx = ask("nothere.example.test.", Type.ANY);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void theQuestionIsEchoedInItsLetterCase() {
        Message r = ask("cDn.EXample.TeSt.", Type.A);
        assertThat(r.getQuestion().getName().toString()).isEqualTo("cDn.EXample.TeSt.");
        assertThat(r.getSection(Section.ANSWER)).hasSize(3);
    }

    @Test
    void anEdnsQueryGetsAnOptAdvertising1232BytesAndItsDoBitBack() {
        Message r = Answerer.answer(edns(query("cdn.example.test.", Type.A), 4096, 0, 0), zone);
        OPTRecord opt = r.getOPT();
        assertThat(opt).isNotNull();
        assertThat(opt.getPayloadSize()).isEqualTo(1232);
        assertThat(opt.getVersion()).isZero();
        assertThat(opt.getFlags() & ExtendedFlags.DO).isZero();
        Message withDo =
                Answerer.answer(
                        edns(query("cdn.example.test.", Type.A), 4096, 0, ExtendedFlags.DO), zone);
        assertThat(withDo.getOPT().getFlags() & ExtendedFlags.DO).isNotZero();
        assertThat(ask("cdn.example.test.", Type.A).getOPT()).as("no EDNS, no OPT").isNull();
    }

    @Test
    void anIxfrWithTheClientsSoaInItsAuthoritySectionIsRefusedLikeAxfr() {
        // RFC 1995: the client's SOA goes in the authority section, which is no format error here
        Message ixfr = query("example.test.", Type.IXFR);
        ixfr.addRecord(
                new SOARecord(
                        Name.fromConstantString("example.test."),
                        DClass.IN,
                        3600,
                        Name.fromConstantString("ns1.example.test."),
                        Name.fromConstantString("hostmaster.example.test."),
                        1,
                        3600,
                        600,
                        86400,
                        30),
                Section.AUTHORITY);
        Message axfr = query("example.test.", Type.AXFR);
        for (Message q : List.of(ixfr, edns(ixfr.clone(), 1232, 0, 0), axfr)) {
            Message r = Answerer.answer(q, zone);
            assertThat(r.getRcode()).as(q.toString()).isEqualTo(Rcode.REFUSED);
            assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
            assertThat(r.getQuestion()).isEqualTo(q.getQuestion());
            assertThat(r.getSection(Section.ANSWER)).isEmpty();
            assertThat(r.getSection(Section.AUTHORITY)).isEmpty();
        }
        Message junk = query("cdn.example.test.", Type.A);
        junk.addRecord(ixfr.getSection(Section.AUTHORITY).get(0), Section.AUTHORITY);
        assertThat(Answerer.answer(junk, zone).getRcode())
                .as("other queries still may not carry an authority section")
                .isEqualTo(Rcode.FORMERR);
    }

    @Test
    void anUnknownEdnsVersionGetsBadvers() {
        Message r = Answerer.answer(edns(query("cdn.example.test.", Type.A), 4096, 1, 0), zone);
        assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(r.getOPT().getVersion()).isZero();
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void aQueryWithoutExactlyOneQuestionIsFormerr() {
        Message two = query("cdn.example.test.", Type.A);
        two.addRecord(
                Record.newRecord(Name.fromConstantString("www.example.test."), Type.A, DClass.IN),
                Section.QUESTION);
        assertThat(Answerer.answer(two, zone).getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(Answerer.answer(new Message(7), zone).getRcode()).isEqualTo(Rcode.FORMERR);
        Message twoOpts = edns(edns(query("cdn.example.test.", Type.A), 1232, 0, 0), 512, 0, 0);
        assertThat(Answerer.answer(twoOpts, zone).getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void opcodesOtherThanQueryAreNotImplemented() {
        for (int opcode : new int[] {Opcode.IQUERY, Opcode.STATUS, Opcode.NOTIFY, Opcode.UPDATE}) {
            Message q = query("example.test.", Type.SOA);
            q.getHeader().setOpcode(opcode);
            Message r = Answerer.answer(q, zone);
            assertThat(r.getRcode()).as(Opcode.string(opcode)).isEqualTo(Rcode.NOTIMP);
            assertThat(r.getHeader().getOpcode()).isEqualTo(opcode);
            assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
        }
    }

    @Test
    void theApexNsAnswerCarriesGlueForTheInZoneServer() {
        Message r = ask("example.test.", Type.NS);
        assertThat(rdata(r, Section.ANSWER))
                .containsExactly("ns1.example.test.", "ns2.example.net.");
        assertThat(r.getSection(Section.ANSWER)).allMatch(x -> x.getTTL() == 3600);
        assertThat(r.getSection(Section.ADDITIONAL))
                .allMatch(x -> x.getName().equals(Name.fromConstantString("ns1.example.test.")));
        assertThat(rdata(r, Section.ADDITIONAL)).containsExactly("127.0.70.1", "::1");
        assertThat(rdata(ask("ns1.example.test.", Type.A), Section.ANSWER))
                .containsExactly("127.0.70.1");
    }

    @Test
    void theApexSoaIsBuiltFromTheSettings() {
        SOARecord soa =
                (SOARecord) ask("example.test.", Type.SOA).getSection(Section.ANSWER).get(0);
        assertThat(soa.getHost()).isEqualTo(Name.fromConstantString("ns1.example.test."));
        assertThat(soa.getAdmin()).isEqualTo(Name.fromConstantString("hostmaster.example.test."));
        assertThat(soa.getTTL()).isEqualTo(3600);
        assertThat(soa.getMinimum()).isEqualTo(30);
        assertThat(soa.getSerial()).isEqualTo(1_700_000_000L);
    }

    @Test
    void staticRecordsOfEveryCommonTypeAreServed() {
        assertThat(rdata(ask("example.test.", Type.TXT), Section.ANSWER))
                .containsExactly("\"v=spf1 -all\"");
        assertThat(rdata(ask("mail.example.test.", Type.MX), Section.ANSWER))
                .containsExactly("10 mx.example.net.");
        assertThat(rdata(ask("v6only.example.test.", Type.AAAA), Section.ANSWER))
                .containsExactly("2001:db8::10");
        assertThat(ask("big.example.test.", Type.TXT).getSection(Section.ANSWER)).hasSize(12);
    }
}
