package dev.pharos.actuator.dns.embedded;

import dev.pharos.actuator.dns.geo.GeoLocator;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.RecordKind;
import dev.pharos.config.Topology;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the embedded server needs for geo records: the topology (their mappings, the regions'
 * addresses and fallback orders) and the location database served now.
 */
public record GeoSetup(Topology topology, Supplier<GeoLocator> locator) {
    /** No geo records. */
    public static final GeoSetup NONE = new GeoSetup(null, () -> GeoLocator.NONE);

    /** The geo records, if any. */
    List<ManagedRecord> records() {
        return topology == null
                ? List.of()
                : topology.records().stream().filter(r -> r.kind() == RecordKind.GEO).toList();
    }
}
