package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.DnsTools.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.dns.embedded.DnsTools.Answer;
import dev.pharos.actuator.dns.embedded.DnsTools.Tool;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.Topology;
import dev.pharos.decision.ManagedRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The running server answering a geo name as the real {@code dig +subnet} sees it, over UDP and
 * TCP, on loopback (127.0.71.1 and ::1): the subnets are only option data.
 */
class GeoDigTest {
    private static final Pattern ECS = Pattern.compile("CLIENT-SUBNET: (\\S+)");
    private static Vertx vertx;
    private static EmbeddedDnsProvider provider;

    @BeforeAll
    static void start() throws Exception {
        vertx = TestZone.nativeVertx();
        Topology t = GeoZone.description().topology();
        provider =
                new EmbeddedDnsProvider(
                        Optional.of(GeoZone.settings(t)),
                        ManagedRecords.build(t, (region, f) -> true, ManagedRecord::ttl),
                        vertx,
                        new EmbeddedDnsMetrics(new SimpleMeterRegistry()),
                        new ZoneSerial(Clock.systemUTC(), Optional.empty()),
                        System::nanoTime,
                        new GeoSetup(t, () -> GeoZone.LOCATOR));
        provider.start();
    }

    @AfterAll
    static void stop() {
        provider.stop();
        vertx.close();
    }

    private static Answer dig(String server, String transport, String name, String... more)
            throws Exception {
        DnsTools.require(Tool.DIG);
        String[] options = new String[more.length + 1];
        options[0] = transport;
        System.arraycopy(more, 0, options, 1, more.length);
        return ask(Tool.DIG, server, provider.port(), name, "A", options);
    }

    private static String subnet(Answer a) {
        Matcher m = ECS.matcher(a.raw());
        return m.find() ? m.group(1) : null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"+notcp", "+tcp"})
    void clientsOfThreeContinentsGetTheirOwnRegion(String transport) throws Exception {
        for (String server : new String[] {"127.0.71.1", "::1"}) {
            Answer europe = dig(server, transport, "www.example.test", "+subnet=203.0.113.0/24");
            assertThat(europe.data("ANSWER")).as(europe.raw()).containsExactly("127.0.1.1");
            assertThat(subnet(europe)).isEqualTo("203.0.113.0/24/24");
            assertThat(europe.flags()).contains("aa");

            Answer apac = dig(server, transport, "www.example.test", "+subnet=192.0.2.0/24");
            assertThat(apac.data("ANSWER")).as(apac.raw()).containsExactly("127.0.2.1");
            assertThat(subnet(apac)).isEqualTo("192.0.2.0/24/24");

            Answer americas =
                    dig(server, transport, "www.example.test", "+subnet=2001:db8:200::/48");
            assertThat(americas.data("ANSWER")).as(americas.raw()).containsExactly("127.0.3.1");
            assertThat(subnet(americas)).isEqualTo("2001:db8:200::/48/40");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"+notcp", "+tcp"})
    void otherNamesEchoScopeZeroAndQueriesWithoutEcsGetNone(String transport) throws Exception {
        Answer cdn = dig("127.0.71.1", transport, "cdn.example.test", "+subnet=203.0.113.0/24");
        assertThat(cdn.data("ANSWER")).hasSize(3);
        assertThat(subnet(cdn)).isEqualTo("203.0.113.0/24/0");
        Answer nx = dig("127.0.71.1", transport, "nothere.example.test", "+subnet=203.0.113.0/24");
        assertThat(nx.status()).isEqualTo("NXDOMAIN");
        assertThat(subnet(nx)).isEqualTo("203.0.113.0/24/0");
        // no ECS: located by the source address, 127.0.0.1, which no network or database knows
        Answer plain = dig("127.0.71.1", transport, "www.example.test");
        assertThat(plain.data("ANSWER")).hasSize(3);
        assertThat(subnet(plain)).isNull();
    }
}
