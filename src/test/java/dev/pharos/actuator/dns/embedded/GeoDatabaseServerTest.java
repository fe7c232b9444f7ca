package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.DnsTools.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.actuator.dns.embedded.DnsTools.Answer;
import dev.pharos.actuator.dns.embedded.DnsTools.Tool;
import dev.pharos.config.EmbeddedDnsSettings;
import dev.pharos.config.Topology;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.testing.Mmdb;
import dev.pharos.testing.Mmdb.Entry;
import dev.pharos.testing.Ports;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as configured: {@code pharos.dns.embedded.geo-database} read at start, clients located
 * by it ({@code dig +subnet}), and a replaced file served without a restart.
 */
class GeoDatabaseServerTest {
    @TempDir Path dir;

    @Test
    void theConfiguredDatabaseLocatesClientsAndANewVersionIsServedWithoutARestart()
            throws Exception {
        Path db = dir.resolve("country.mmdb");
        Mmdb.write(
                db,
                List.of(
                        Entry.of("203.0.113.0/24", "FR", "EU"),
                        Entry.countryOnly("2001:db8:400::/48", "JP")));
        Topology t =
                GeoZone.description()
                        .set("pharos.dns.embedded.geo-database", db.toString())
                        .set("pharos.dns.embedded.listen", List.of("127.0.71.1"))
                        .set("pharos.dns.embedded.port", Ports.freeUdpAndTcp("127.0.71.1"))
                        .topology();
        Vertx vertx = TestZone.nativeVertx();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // the injected constructor: what Quarkus builds from the configuration
        EmbeddedDnsProvider p =
                new EmbeddedDnsProvider(
                        t, vertx, new EmbeddedDnsMetrics(registry), Clock.systemUTC());
        try {
            p.start(ManagedRecords.failOpen(t));
            EmbeddedDnsSettings e = t.dns().embedded().orElseThrow();
            assertThat(e.geoDatabase()).contains(db);
            assertThat(p.geoDatabase()).isPresent();
            assertThat(registry.get("pharos_geo_database_build_timestamp_seconds").gauge().value())
                    .isPositive();
            assertThat(dig(p, "+subnet=203.0.113.0/24").data("ANSWER"))
                    .containsExactly("127.0.1.1");
            assertThat(dig(p, "+subnet=2001:db8:400::/48").data("ANSWER"))
                    .containsExactly("127.0.2.1");
            Mmdb.write(db, List.of(Entry.of("203.0.113.0/24", "US", "NA")));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () ->
                                    assertThat(dig(p, "+subnet=203.0.113.0/24").data("ANSWER"))
                                            .containsExactly("127.0.3.1"));
        } finally {
            p.stop();
            vertx.close();
        }
    }

    private static Answer dig(EmbeddedDnsProvider p, String subnet) throws Exception {
        DnsTools.require(Tool.DIG);
        return ask(Tool.DIG, "127.0.71.1", p.port(), "www.example.test", "A", subnet);
    }
}
