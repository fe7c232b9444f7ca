package dev.pharos.actuator.dns.embedded;

import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Mmdb;
import dev.pharos.testing.Mmdb.Entry;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Three one-server regions named as the built-in continent map expects (europe, apac, americas), a
 * geo name {@code www} with one network of its own, a location database written at test time, and
 * Pharos serving them from its embedded DNS server.
 */
public class GeoEmbeddedResource implements QuarkusTestResourceLifecycleManager {
    public static final String DNS_IP = "127.0.75.1";
    public static int dnsPort;
    public static List<LoopbackHttpServer> lbs;
    public static Path database;

    @Override
    public Map<String, String> start() {
        lbs =
                List.of(
                        new LoopbackHttpServer("127.0.76.1", "europe").start(),
                        new LoopbackHttpServer("127.0.77.1", "apac").start(),
                        new LoopbackHttpServer("127.0.78.1", "americas").start());
        try {
            database = Files.createTempDirectory("pharos-geo").resolve("country.mmdb");
            // documentation networks as data: FR (EU), JP (AS), US (NA); AQ (AN) has no list
            Mmdb.write(
                    database,
                    List.of(
                            Entry.of("203.0.113.0/24", "FR", "EU"),
                            Entry.of("192.0.2.0/25", "JP", "AS"),
                            Entry.of("192.0.2.128/25", "AQ", "AN"),
                            Entry.countryOnly("2001:db8:200::/40", "US")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dnsPort = Ports.freeUdpAndTcp(DNS_IP);
        return TestTopology.fast("vp-geo")
                .region("europe", r -> r.lb(lbs.get(0)).fallback("americas", "apac"))
                .region("apac", r -> r.lb(lbs.get(1)).fallback("europe", "americas"))
                .region("americas", r -> r.lb(lbs.get(2)).fallback("europe", "apac"))
                .geo("www.example.test")
                .lastRecord("ttl", 5)
                .lastRecord("nets.198.51.100.0/24", List.of("apac"))
                .roundRobin("cdn.example.test", 5)
                .policy("hold-down", "1s")
                .policy("max-removals", 3)
                .zone("example.test")
                .embeddedDns(DNS_IP, dnsPort)
                .set("pharos.dns.embedded.geo-database", database.toString())
                .properties();
    }

    @Override
    public void stop() {
        lbs.forEach(LoopbackHttpServer::stop);
    }
}
