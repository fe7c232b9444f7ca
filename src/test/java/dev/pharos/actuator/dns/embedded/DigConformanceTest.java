package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.DnsTools.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.dns.embedded.DnsTools.Answer;
import dev.pharos.actuator.dns.embedded.DnsTools.Tool;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The running server as dig and kdig see it: every authoritative behaviour, over UDP and TCP, on
 * IPv4 (127.0.70.1) and IPv6 (::1) loopback.
 */
class DigConformanceTest {
    private static Vertx vertx;
    private static EmbeddedDnsProvider provider;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        vertx = TestZone.nativeVertx();
        provider = TestZone.start(vertx);
        port = provider.port();
    }

    @AfterAll
    static void stop() {
        provider.stop();
        vertx.close();
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Tool tool : Tool.values()) {
            for (String transport : List.of("udp", "tcp")) {
                for (String server : List.of("127.0.70.1", "::1")) {
                    out.add(Arguments.of(tool, transport, server));
                }
            }
        }
        return out.stream();
    }

    private static Answer query(
            Tool tool, String transport, String server, String name, String type, String... more)
            throws Exception {
        DnsTools.require(tool);
        List<String> options = new ArrayList<>();
        options.add("tcp".equals(transport) ? "+tcp" : "+notcp");
        options.addAll(List.of(more));
        if (options.stream().noneMatch(o -> o.contains("edns") || o.contains("bufsize"))) {
            options.add("+noedns");
        }
        return ask(tool, server, port, name, type, options.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0} {1} @{2}")
    @MethodSource("matrix")
    void managedNamesAreAnsweredAuthoritatively(Tool tool, String transport, String server)
            throws Exception {
        Answer a = query(tool, transport, server, "cdn.example.test", "A");
        assertThat(a.status()).as(a.raw()).isEqualTo("NOERROR");
        assertThat(a.flags()).contains("qr", "aa").doesNotContain("ra", "tc");
        assertThat(a.data("ANSWER"))
                .containsExactlyInAnyOrder("127.0.1.1", "127.0.2.1", "127.0.3.1");
        assertThat(a.ttls("ANSWER")).containsOnly(20L);
        Answer v6 = query(tool, transport, server, "europe.example.test", "AAAA");
        assertThat(v6.data("ANSWER")).containsExactly("::1");
    }

    @ParameterizedTest(name = "{0} {1} @{2}")
    @MethodSource("matrix")
    void missingNamesAndTypesGetNxdomainAndNodataWithTheSoa(
            Tool tool, String transport, String server) throws Exception {
        Answer nx = query(tool, transport, server, "nothere.example.test", "A");
        assertThat(nx.status()).as(nx.raw()).isEqualTo("NXDOMAIN");
        assertThat(nx.flags()).contains("aa");
        assertThat(nx.section("ANSWER")).isEmpty();
        assertThat(nx.types("AUTHORITY")).containsExactly("SOA");
        assertThat(nx.ttls("AUTHORITY")).containsExactly(30L);

        Answer nodata = query(tool, transport, server, "cdn.example.test", "MX");
        assertThat(nodata.status()).as(nodata.raw()).isEqualTo("NOERROR");
        assertThat(nodata.section("ANSWER")).isEmpty();
        assertThat(nodata.types("AUTHORITY")).containsExactly("SOA");

        Answer ent = query(tool, transport, server, "ent.example.test", "A");
        assertThat(ent.status()).as("empty non-terminal " + ent.raw()).isEqualTo("NOERROR");
    }

    @ParameterizedTest(name = "{0} {1} @{2}")
    @MethodSource("matrix")
    void namesOutsideTheZoneAreRefused(Tool tool, String transport, String server)
            throws Exception {
        Answer a = query(tool, transport, server, "example.com", "A");
        assertThat(a.status()).as(a.raw()).isEqualTo("REFUSED");
        assertThat(a.flags()).doesNotContain("aa");
        assertThat(a.section("ANSWER")).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} @{2}")
    @MethodSource("matrix")
    void cnameChainsInsideTheZoneAreFollowed(Tool tool, String transport, String server)
            throws Exception {
        Answer a = query(tool, transport, server, "chain1.example.test", "A");
        assertThat(a.status()).as(a.raw()).isEqualTo("NOERROR");
        assertThat(a.types("ANSWER")).containsExactly("CNAME", "CNAME", "CNAME", "A", "A", "A");
    }

    @ParameterizedTest(name = "{0} {1} @{2}")
    @MethodSource("matrix")
    void anyGetsAMinimalAnswer(Tool tool, String transport, String server) throws Exception {
        Answer a = query(tool, transport, server, "example.test", "ANY");
        assertThat(a.status()).as(a.raw()).isEqualTo("NOERROR");
        assertThat(a.types("ANSWER"))
                .as(a.raw())
                .isNotEmpty()
                .containsOnly(a.types("ANSWER").get(0));
    }

    @ParameterizedTest(name = "{0} {1} @{2}")
    @MethodSource("matrix")
    void ednsQueriesGetAnOptAdvertising1232Bytes(Tool tool, String transport, String server)
            throws Exception {
        Answer a =
                query(
                        tool,
                        transport,
                        server,
                        "cdn.example.test",
                        "A",
                        tool == Tool.DIG ? "+edns=0" : "+edns");
        assertThat(a.udpSize()).as(a.raw()).contains(1232);
        Answer plain = query(tool, transport, server, "cdn.example.test", "A");
        assertThat(plain.udpSize()).as(plain.raw()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} @{2}")
    @MethodSource("matrix")
    void aBigAnswerIsTruncatedOverPlainUdpAndWholeOverTcpOrWithEdns(
            Tool tool, String transport, String server) throws Exception {
        Answer a = query(tool, transport, server, "big.example.test", "TXT", "+ignore");
        if ("udp".equals(transport)) {
            assertThat(a.flags()).as(a.raw()).contains("tc");
            assertThat(a.section("ANSWER")).isEmpty();
            Answer edns =
                    query(tool, transport, server, "big.example.test", "TXT", "+bufsize=1232");
            assertThat(edns.flags()).as(edns.raw()).doesNotContain("tc");
            assertThat(edns.section("ANSWER")).hasSize(12);
            Answer small =
                    query(
                            tool,
                            transport,
                            server,
                            "big.example.test",
                            "TXT",
                            "+bufsize=512",
                            "+ignore");
            assertThat(small.flags()).as(small.raw()).contains("tc");
            // kdig falls back to TCP only when told; dig does by default
            Answer retried = query(tool, transport, server, "big.example.test", "TXT", "+noignore");
            assertThat(retried.section("ANSWER"))
                    .as("retried over TCP " + retried.raw())
                    .hasSize(12);
        } else {
            assertThat(a.flags()).as(a.raw()).doesNotContain("tc");
            assertThat(a.section("ANSWER")).hasSize(12);
        }
    }

    @ParameterizedTest(name = "{0} {1} @{2}")
    @MethodSource("matrix")
    void theApexNsAnswerCarriesGlue(Tool tool, String transport, String server) throws Exception {
        Answer a = query(tool, transport, server, "example.test", "NS");
        assertThat(a.data("ANSWER"))
                .containsExactlyInAnyOrder("ns1.example.test.", "ns2.example.net.");
        assertThat(a.data("ADDITIONAL")).containsExactlyInAnyOrder("127.0.70.1", "::1");
        Answer soa = query(tool, transport, server, "example.test", "SOA");
        assertThat(soa.data("ANSWER").get(0))
                .startsWith("ns1.example.test. hostmaster.example.test. ");
    }

    static Stream<Arguments> digOnly() {
        return matrix().filter(a -> a.get()[0] == Tool.DIG);
    }

    @ParameterizedTest(name = "{0} {1} @{2}")
    @MethodSource("digOnly")
    void theQuestionsLetterCaseIsEchoed(Tool tool, String transport, String server)
            throws Exception {
        // kdig prints names in lower case whatever it received, so only dig can show this
        Answer a = query(Tool.DIG, transport, server, "CdN.eXaMpLe.TeSt", "A");
        assertThat(a.section("QUESTION").get(0)).startsWith("CdN.eXaMpLe.TeSt.");
        assertThat(a.section("ANSWER")).hasSize(3);
    }
}
