package dev.pharos.actuator.dns.embedded;

import dev.pharos.testing.Mmdb.Entry;
import dev.pharos.testing.TestTopology;
import java.util.List;

/**
 * Three one-server regions with coordinates (europe at Frankfurt, apac at Singapore, americas at
 * Newark; apac falls back to americas first), a geo name {@code www} in distance mode, a City
 * database written at test time, and Pharos serving them from its embedded DNS server.
 */
public class GeoDistanceResource extends GeoServerResource {
    public static final String DNS_IP = "127.0.141.1";

    public GeoDistanceResource() {
        super(
                DNS_IP,
                List.of("127.0.142.1", "127.0.143.1", "127.0.144.1"),
                "vp-geo-distance",
                "city.mmdb",
                "americas",
                "europe");
    }

    @Override
    List<Entry> entries() {
        // documentation networks as data, with a city's coordinates each
        return List.of(
                Entry.city("192.0.2.0/25", "SG", "AS", 1.29, 103.85), // Singapore
                Entry.city("203.0.113.0/24", "DE", "EU", 50.11, 8.68), // Frankfurt
                Entry.city("2001:db8:200::/40", "US", "NA", 41.88, -87.63)); // Chicago
    }

    @Override
    TestTopology geoAndMore(TestTopology topology) {
        return topology.lastRecord("mode", "distance")
                .set("pharos.regions.europe.latitude", 50.11)
                .set("pharos.regions.europe.longitude", 8.68)
                .set("pharos.regions.apac.latitude", 1.35)
                .set("pharos.regions.apac.longitude", 103.82)
                .set("pharos.regions.americas.latitude", 40.74)
                .set("pharos.regions.americas.longitude", -74.17);
    }
}
