package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static dev.pharos.actuator.dns.embedded.AnswererTest.rdata;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.IpLiterals;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The running server as dnsjava's resolver sees it: every authoritative behaviour, over UDP and
 * TCP, on IPv4 and IPv6 loopback.
 */
class ResolverConformanceTest {
    private static Vertx vertx;
    private static EmbeddedDnsProvider provider;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        provider = TestZone.start(vertx);
    }

    @AfterAll
    static void stop() {
        provider.stop();
        vertx.close();
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (boolean tcp : new boolean[] {false, true}) {
            for (String server : List.of("127.0.70.1", "::1")) {
                out.add(Arguments.of(tcp ? "tcp" : "udp", server));
            }
        }
        return out.stream();
    }

    /** A resolver for one transport and server, without EDNS unless asked. */
    static SimpleResolver resolver(String transport, String server, int port, int ednsPayload) {
        SimpleResolver r =
                new SimpleResolver(
                        new InetSocketAddress(IpLiterals.parseAny(server).orElseThrow(), port));
        r.setTCP("tcp".equals(transport));
        r.setTimeout(Duration.ofSeconds(3));
        r.setIgnoreTruncation(true);
        if (ednsPayload > 0) {
            r.setEDNS(0, ednsPayload, 0, List.of());
        } else {
            r.setEDNS(-1);
        }
        return r;
    }

    private static Message ask(String transport, String server, String name, int type)
            throws Exception {
        return resolver(transport, server, provider.port(), 0).send(query(name, type));
    }

    @ParameterizedTest(name = "{0} @{1}")
    @MethodSource("matrix")
    void managedNamesAreAnsweredAuthoritatively(String transport, String server) throws Exception {
        Message r = ask(transport, server, "cdn.example.test.", Type.A);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(rdata(r, Section.ANSWER)).containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
        assertThat(rdata(ask(transport, server, "cdn.example.test.", Type.AAAA), Section.ANSWER))
                .containsExactly("::1");
    }

    @ParameterizedTest(name = "{0} @{1}")
    @MethodSource("matrix")
    void missingNamesAndTypesGetNxdomainAndNodataWithTheSoa(String transport, String server)
            throws Exception {
        Message nx = ask(transport, server, "nothere.example.test.", Type.A);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getSection(Section.AUTHORITY))
                .singleElement()
                .matches(x -> x.getType() == Type.SOA && x.getTTL() == 30);
        Message nodata = ask(transport, server, "www.example.test.", Type.TXT);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(rdata(nodata, Section.ANSWER))
                .as("the CNAME, then nothing")
                .containsExactly("cdn.example.test.");
        assertThat(nodata.getSection(Section.AUTHORITY))
                .singleElement()
                .matches(x -> x.getType() == Type.SOA);
    }

    @ParameterizedTest(name = "{0} @{1}")
    @MethodSource("matrix")
    void namesOutsideTheZoneAreRefused(String transport, String server) throws Exception {
        Message r = ask(transport, server, "example.org.", Type.A);
        assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
    }

    @ParameterizedTest(name = "{0} @{1}")
    @MethodSource("matrix")
    void cnameChainsAnyAndGlueAreServed(String transport, String server) throws Exception {
        Message chain = ask(transport, server, "chain1.example.test.", Type.A);
        assertThat(chain.getSection(Section.ANSWER)).hasSize(6);
        Message any = ask(transport, server, "cdn.example.test.", Type.ANY);
        assertThat(any.getSectionRRsets(Section.ANSWER)).hasSize(1);
        Message ns = ask(transport, server, "example.test.", Type.NS);
        assertThat(rdata(ns, Section.ADDITIONAL)).containsExactly("127.0.70.1", "::1");
    }

    @ParameterizedTest(name = "{0} @{1}")
    @MethodSource("matrix")
    void theQuestionsLetterCaseIsEchoed(String transport, String server) throws Exception {
        Message r = ask(transport, server, "cDN.Example.tEST.", Type.A);
        assertThat(r.getQuestion().getName().toString()).isEqualTo("cDN.Example.tEST.");
        assertThat(r.getSection(Section.ANSWER)).hasSize(3);
    }

    @ParameterizedTest(name = "{0} @{1}")
    @MethodSource("matrix")
    void ednsIsAnsweredWith1232AndBigAnswersNeedEdnsOrTcp(String transport, String server)
            throws Exception {
        SimpleResolver edns = resolver(transport, server, provider.port(), 4096);
        Message withEdns = edns.send(query("big.example.test.", Type.TXT));
        assertThat(withEdns.getOPT().getPayloadSize()).isEqualTo(1232);
        assertThat(withEdns.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(withEdns.getSection(Section.ANSWER)).hasSize(12);

        Message plain = ask(transport, server, "big.example.test.", Type.TXT);
        assertThat(plain.getOPT()).isNull();
        if ("udp".equals(transport)) {
            assertThat(plain.getHeader().getFlag(Flags.TC)).isTrue();
            assertThat(plain.getSection(Section.ANSWER)).isEmpty();
        } else {
            assertThat(plain.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(plain.getSection(Section.ANSWER)).hasSize(12);
        }
    }
}
