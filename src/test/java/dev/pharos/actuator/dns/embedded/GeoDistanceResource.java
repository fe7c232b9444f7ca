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
 * Three one-server regions with coordinates (europe at Frankfurt, apac at Singapore, americas at
 * Newark; apac falls back to americas first), a geo name {@code www} in distance mode, a City
 * database written at test time, and Pharos serving them from its embedded DNS server.
 */
public class GeoDistanceResource implements QuarkusTestResourceLifecycleManager {
    public static final String DNS_IP = "127.0.141.1";
    public static int dnsPort;
    public static List<LoopbackHttpServer> lbs;

    @Override
    public Map<String, String> start() {
        lbs =
                List.of(
                        new LoopbackHttpServer("127.0.142.1", "europe").start(),
                        new LoopbackHttpServer("127.0.143.1", "apac").start(),
                        new LoopbackHttpServer("127.0.144.1", "americas").start());
        Path database;
        try {
            database = Files.createTempDirectory("pharos-geo").resolve("city.mmdb");
            // documentation networks as data, with a city's coordinates each
            Mmdb.write(
                    database,
                    List.of(
                            Entry.city("192.0.2.0/25", "SG", "AS", 1.29, 103.85), // Singapore
                            Entry.city("203.0.113.0/24", "DE", "EU", 50.11, 8.68), // Frankfurt
                            Entry.city("2001:db8:200::/40", "US", "NA", 41.88, -87.63))); // Chicago
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dnsPort = Ports.freeUdpAndTcp(DNS_IP);
        return TestTopology.fast("vp-geo-distance")
                .region("europe", r -> r.lb(lbs.get(0)).fallback("americas", "apac"))
                .region("apac", r -> r.lb(lbs.get(1)).fallback("americas", "europe"))
                .region("americas", r -> r.lb(lbs.get(2)).fallback("europe", "apac"))
                .set("pharos.regions.europe.latitude", 50.11)
                .set("pharos.regions.europe.longitude", 8.68)
                .set("pharos.regions.apac.latitude", 1.35)
                .set("pharos.regions.apac.longitude", 103.82)
                .set("pharos.regions.americas.latitude", 40.74)
                .set("pharos.regions.americas.longitude", -74.17)
                .geo("www.example.test")
                .lastRecord("ttl", 5)
                .lastRecord("mode", "distance")
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
