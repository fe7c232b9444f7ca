package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Queries whose OPT holds a malformed option, through the whole packet path: the options whose RFC
 * says FORMERR get it with the OPT and the question (RFC 6891 section 6.1.1), every other option is
 * ignored, and a malformed OPT is FORMERR with the OPT too.
 */
class MalformedEdnsTest {
    private final ZoneData zone = TestZone.zone();
    private final QueryProcessor processor =
            new QueryProcessor(
                    () -> zone,
                    new ResponseRateLimiter(0, 0, System::nanoTime),
                    new EmbeddedDnsMetrics(new SimpleMeterRegistry()));

    /** A query for cdn.example.test A with one option, its data given in hex. */
    static Message withOption(int code, String hex, int version, int flags) {
        Message q = query("cdn.example.test.", Type.A);
        q.getHeader().setID(4242);
        q.addRecord(
                new OPTRecord(
                        1400,
                        0,
                        version,
                        flags,
                        List.of(new GenericEDNSOption(code, HexFormat.of().parseHex(hex)))),
                Section.ADDITIONAL);
        return q;
    }

    private Message handle(byte[] packet, Transport t) throws Exception {
        byte[] out = processor.handle(packet, t, "127.0.0.1");
        assertThat(out).isNotNull();
        return new Message(out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "a 5-byte cookie, 10, 0102030405",
        "a client cookie with a 4-byte server cookie, 10, 010203040506070801020304",
        "a 41-byte cookie, 10, 0102030405060708010203040506070801020304050607080102030405060708"
                + "01020304050607080901",
        "a client subnet /33 in IPv4, 8, 000121007f000001ff",
        "a client subnet /24 with four address octets, 8, 000118007f000001",
        "a client subnet /12 with bits set beyond it, 8, 00010c007f01",
        "a client subnet of unknown family 3, 8, 0003100001",
        "a client subnet without its prefix lengths, 8, 0001",
    })
    void aMalformedCookieOrClientSubnetGetsFormerrWithTheOptAndTheQuestion(
            String what, int code, String hex) throws Exception {
        for (Transport t : Transport.values()) {
            Message q = withOption(code, hex, 0, ExtendedFlags.DO);
            Message r = handle(q.toWire(), t);
            assertThat(r.getRcode()).as(what + " over " + t).isEqualTo(Rcode.FORMERR);
            assertThat(r.getHeader().getID()).isEqualTo(4242);
            assertThat(r.getQuestion()).as("the question, echoed").isEqualTo(q.getQuestion());
            assertThat(r.getOPT()).as("the OPT: this server speaks EDNS").isNotNull();
            assertThat(r.getOPT().getPayloadSize()).isEqualTo(Answerer.EDNS_PAYLOAD);
            assertThat(r.getOPT().getFlags() & ExtendedFlags.DO).as("DO echoed").isNotZero();
            assertThat(r.getSection(Section.ANSWER)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "a client cookie, 10, 0102030405060708",
        "a client and a server cookie, 10, 01020304050607080102030405060708",
        "a client subnet /24, 8, 000118007f0000",
        "a client subnet /0, 8, 00010000",
    })
    void wellFormedCookiesAndClientSubnetsAreAnswered(String what, int code, String hex)
            throws Exception {
        Message r = handle(withOption(code, hex, 0, 0).toWire(), Transport.UDP);
        assertThat(r.getRcode()).as(what).isEqualTo(Rcode.NOERROR);
        assertThat(r.getSection(Section.ANSWER)).hasSize(3);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "a TCP keepalive of one byte, 11, 01",
        "a TCP keepalive of three bytes, 11, 000102",
        "an extended error of one byte, 15, 01",
    })
    void otherMalformedOptionsAreIgnored(String what, int code, String hex) throws Exception {
        for (Transport t : Transport.values()) {
            Message r = handle(withOption(code, hex, 0, 0).toWire(), t);
            assertThat(r.getRcode()).as(what + " over " + t).isEqualTo(Rcode.NOERROR);
            assertThat(r.getSection(Section.ANSWER)).hasSize(3);
            assertThat(r.getOPT()).isNotNull();
            assertThat(r.getOPT().getOptions()).as("nothing echoed").isEmpty();
        }
    }

    @Test
    void aMalformedOptionBesideAGoodOneStillDecidesAndBadversComesFirst() throws Exception {
        Message q = query("cdn.example.test.", Type.A);
        q.addRecord(
                new OPTRecord(
                        1232,
                        0,
                        0,
                        0,
                        List.of(
                                new GenericEDNSOption(
                                        EDNSOption.Code.COOKIE,
                                        HexFormat.of().parseHex("0102030405060708")),
                                new GenericEDNSOption(
                                        EDNSOption.Code.CLIENT_SUBNET,
                                        HexFormat.of().parseHex("000121007f000001ff")))),
                Section.ADDITIONAL);
        assertThat(handle(q.toWire(), Transport.UDP).getRcode()).isEqualTo(Rcode.FORMERR);

        Message v1 = withOption(EDNSOption.Code.COOKIE, "0102030405", 1, 0);
        Message r = handle(v1.toWire(), Transport.UDP);
        assertThat(r.getRcode())
                .as("options mean nothing in an EDNS version we do not speak")
                .isEqualTo(Rcode.BADVERS);
        assertThat(r.getOPT().getVersion()).isZero();
    }

    @Test
    void optionsThatOverrunTheOptAreFormerrWithTheOpt() throws Exception {
        Message q = withOption(EDNSOption.Code.NSID, "", 0, 0);
        byte[] p = q.toWire();
        // the option's length (the last two bytes: NSID is empty) claims more than the OPT holds
        p[p.length - 1] = 9;
        Message r = handle(p, Transport.UDP);
        assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(r.getQuestion()).isEqualTo(q.getQuestion());
        assertThat(r.getOPT()).isNotNull();

        // and a lone byte where an option should start
        Message plain = query("cdn.example.test.", Type.A);
        plain.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        byte[] base = plain.toWire();
        byte[] runt = java.util.Arrays.copyOf(base, base.length + 1);
        runt[base.length - 1] = 1; // RDLENGTH 1
        Message r2 = handle(runt, Transport.TCP);
        assertThat(r2.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(r2.getOPT()).isNotNull();
    }
}
