package dev.pharos.actuator.dns.embedded;

import dev.pharos.actuator.dns.geo.GeoLocator;
import dev.pharos.actuator.dns.geo.Location;
import dev.pharos.config.Cidr;
import dev.pharos.config.EmbeddedDnsSettings;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.Topology;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.testing.TestTopology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The zone of the geo tests: europe (127.0.1.1, 2001:db8::1), apac (127.0.2.1, 2001:db8::2) and
 * americas (127.0.3.1, 2001:db8::3), each falling back to the others nearest first; a geo name
 * {@code www} with the built-in continent map and three networks of its own, a CNAME to it, and a
 * round-robin {@code cdn}. Every address in here is data for the answers and the location database;
 * the tests send packets only to loopback.
 */
final class GeoZone {
    private GeoZone() {}

    static TestTopology description() {
        return TestTopology.node("vp1")
                .region("europe", r -> r.ipv4("127.0.1.1").ipv6("2001:db8::1"))
                .region("apac", r -> r.ipv4("127.0.2.1").ipv6("2001:db8::2"))
                .region("americas", r -> r.ipv4("127.0.3.1").ipv6("2001:db8::3"))
                .set("pharos.regions.europe.fallback", List.of("americas", "apac"))
                .set("pharos.regions.apac.fallback", List.of("europe", "americas"))
                .set("pharos.regions.americas.fallback", List.of("europe", "apac"))
                .geo("www.example.test")
                .lastRecord("ttl", 30)
                .lastRecord("nets.198.51.100.0/24", List.of("apac"))
                .lastRecord("nets.198.51.0.0/16", List.of("americas"))
                .lastRecord("nets.2001:db8:100::/48", List.of("apac"))
                .roundRobin("cdn.example.test", 20)
                .zone("example.test")
                .set("pharos.dns.embedded.listen", List.of("127.0.71.1", "::1"))
                .set("pharos.dns.embedded.static-records", List.of("go 300 IN CNAME www"));
    }

    /** A location database: 203.0.113.0/24 FR (Europe), 192.0.2.0/25 JP, 2001:db8:200::/40 US. */
    static final GeoLocator LOCATOR =
            table(
                    Map.of(
                            "203.0.113.0/24", new Location("EU", "FR", 24),
                            "192.0.2.0/25", new Location("AS", "JP", 25),
                            "2001:db8:200::/40", new Location("NA", "US", 40)));

    static GeoLocator table(Map<String, Location> entries) {
        Map<Cidr, Location> m = new LinkedHashMap<>();
        entries.forEach((k, v) -> m.put(Cidr.parse("test", k).orElseThrow(), v));
        return address -> {
            for (var e : m.entrySet()) {
                if (e.getKey().contains(address)) {
                    return e.getValue();
                }
            }
            return Location.UNKNOWN;
        };
    }

    /** The snapshot with the regions in {@code out} out of DNS, answering from {@code locator}. */
    static ZoneData zone(Set<String> out, GeoLocator locator) {
        Topology t = description().topology();
        return ZoneData.build(
                settings(t).zone(),
                ManagedRecords.build(t, (region, f) -> !out.contains(region), ManagedRecord::ttl),
                1_700_000_000L,
                new GeoSetup(t, () -> locator));
    }

    static EmbeddedDnsSettings settings(Topology t) {
        EmbeddedDnsSettings e = t.dns().embedded().orElseThrow();
        return new EmbeddedDnsSettings(
                e.listen(),
                0,
                e.zone(),
                e.rateLimit(),
                e.rateLimitSlip(),
                e.tcpIdleTimeout(),
                e.maxTcpConnections());
    }
}
