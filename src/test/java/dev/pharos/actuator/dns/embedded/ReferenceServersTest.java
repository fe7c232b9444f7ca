package dev.pharos.actuator.dns.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.dns.embedded.DnsTools.Answer;
import dev.pharos.actuator.dns.embedded.DnsTools.Tool;
import dev.pharos.testing.Bind;
import dev.pharos.testing.Knot;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same kdig queries to the embedded server and to a reference server, for the cases where a
 * differential test once found them apart: glue that does not fit (Knot: the NS answer without TC,
 * glue as far as it fits) and malformed EDNS options (BIND: FORMERR with the OPT and the question
 * where the option's RFC says FORMERR, the option ignored elsewhere; Knot ignores every malformed
 * option, see docs/ARCHITECTURE.md).
 */
class ReferenceServersTest {
    private static final String PHAROS = "127.0.70.81";
    private static final String ZONE = "example.test";

    private static Vertx vertx;
    private static EmbeddedDnsProvider pharos;
    private static Knot knot;
    private static Bind bind;

    @BeforeAll
    static void start() throws Exception {
        DnsTools.require(Tool.KDIG);
        vertx = TestZone.nativeVertx();
        pharos =
                TestZone.start(vertx, TestZone.eightNameServers().andThen(TestZone.listen(PHAROS)));
        // the embedded zone's NS set and glue (apex-ttl 3600), and cdn's three addresses
        StringBuilder zone =
                new StringBuilder("$TTL 3600\n@ SOA ns1 hostmaster 1 86400 7200 3600000 30\n");
        for (int i = 1; i <= 8; i++) {
            zone.append("@ NS ns").append(i).append('\n');
            zone.append("ns").append(i).append(" A 127.0.70.").append(i).append('\n');
            zone.append("ns").append(i).append(" AAAA 2001:db8::").append(i).append('\n');
        }
        zone.append("cdn 20 A 127.0.1.1\ncdn 20 A 127.0.2.1\ncdn 20 A 127.0.3.1\n");
        knot = Knot.start("127.0.70.82", ZONE, zone.toString());
        bind =
                Bind.start(
                        "127.0.0.1", // BIND listens only on addresses an interface has
                        ZONE,
                        "cdn 20 IN A 127.0.1.1\ncdn 20 IN A 127.0.2.1\ncdn 20 IN A 127.0.3.1\n");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {bind, knot}) {
            if (c != null) {
                c.close();
            }
        }
        if (pharos != null) {
            pharos.stop();
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    private static Answer askPharos(String name, String type, String... options) throws Exception {
        return DnsTools.ask(Tool.KDIG, PHAROS, pharos.port(), name, type, options);
    }

    private static Answer ask(
            java.net.InetSocketAddress server, String name, String type, String... options)
            throws Exception {
        return DnsTools.ask(
                Tool.KDIG,
                server.getAddress().getHostAddress(),
                server.getPort(),
                name,
                type,
                options);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"+noedns", "+bufsize=512"})
    void glueThatDoesNotFitIsLeftOutWithoutTcAsKnotDoes(String edns) throws Exception {
        String[] options = {"+notcp", "+ignore", edns};
        Answer ours = askPharos(ZONE, "NS", options);
        Answer theirs = ask(knot.address(), ZONE, "NS", options);
        assertThat(ours.flags()).as(ours.raw()).doesNotContain("tc");
        assertThat(theirs.flags()).as(theirs.raw()).doesNotContain("tc");
        assertThat(ours.section("ANSWER")).as(ours.raw()).hasSize(8);
        assertThat(ours.section("ANSWER")).isEqualTo(theirs.section("ANSWER"));
        assertThat(ours.section("ADDITIONAL"))
                .as("ours:\n%s\nKnot's:\n%s", ours.raw(), theirs.raw())
                .isNotEmpty()
                .isEqualTo(theirs.section("ADDITIONAL"));
        assertThat(ours.udpSize().isPresent()).isEqualTo(!edns.equals("+noedns"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "a 5-byte cookie, 10:0102030405, FORMERR",
        "a 12-byte cookie, 10:010203040506070801020304, FORMERR",
        "a client subnet /33 in IPv4, 8:000121007f000001ff, FORMERR",
        "a client subnet /24 with four octets, 8:000118007f000001, FORMERR",
        "a client subnet /12 with bits beyond it, 8:00010c007f01, FORMERR",
        "a client subnet of family 3, 8:0003100001, FORMERR",
        "a one-byte TCP keepalive, 11:01, NOERROR",
        "a well-formed cookie, 10:0102030405060708, NOERROR",
    })
    void malformedOptionsAreAnsweredAsBindAnswersThem(String what, String option, String status)
            throws Exception {
        for (String transport : List.of("+notcp", "+tcp")) {
            String[] o = {transport, "+ednsopt=" + option};
            Answer ours = askPharos("cdn." + ZONE, "A", o);
            Answer theirs = ask(bind.address(), "cdn." + ZONE, "A", o);
            for (Answer a : List.of(ours, theirs)) {
                assertThat(a.status())
                        .as(what + " " + transport + "\n" + a.raw())
                        .isEqualTo(status);
                assertThat(a.udpSize()).as("the OPT " + a.raw()).isPresent();
                assertThat(a.section("QUESTION")).as("the question " + a.raw()).hasSize(1);
            }
            assertThat(ours.section("QUESTION")).isEqualTo(theirs.section("QUESTION"));
            assertThat(ours.data("ANSWER"))
                    .containsExactlyInAnyOrderElementsOf(theirs.data("ANSWER"));
        }
    }
}
