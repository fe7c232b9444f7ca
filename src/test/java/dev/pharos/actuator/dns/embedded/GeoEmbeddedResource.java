package dev.pharos.actuator.dns.embedded;

import dev.pharos.testing.Mmdb.Entry;
import dev.pharos.testing.TestTopology;
import java.util.List;

/**
 * Three one-server regions named as the built-in continent map expects (europe, apac, americas), a
 * geo name {@code www} with one network of its own, a location database written at test time, and
 * Pharos serving them from its embedded DNS server.
 */
public class GeoEmbeddedResource extends GeoServerResource {
    public static final String DNS_IP = "127.0.75.1";

    public GeoEmbeddedResource() {
        super(
                DNS_IP,
                List.of("127.0.76.1", "127.0.77.1", "127.0.78.1"),
                "vp-geo",
                "country.mmdb",
                "europe",
                "americas");
    }

    @Override
    List<Entry> entries() {
        // documentation networks as data: FR (EU), JP (AS), US (NA); AQ (AN) has no list
        return List.of(
                Entry.of("203.0.113.0/24", "FR", "EU"),
                Entry.of("192.0.2.0/25", "JP", "AS"),
                Entry.of("192.0.2.128/25", "AQ", "AN"),
                Entry.countryOnly("2001:db8:200::/40", "US"));
    }

    @Override
    TestTopology geoAndMore(TestTopology topology) {
        return topology.lastRecord("nets.198.51.100.0/24", List.of("apac"))
                .roundRobin("cdn.example.test", 5);
    }
}
