package dev.pharos.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A DNS name Pharos manages.
 *
 * @param name lower-case, fully qualified, without the trailing dot
 * @param regions round-robin and geo: the regions it spans; alias: the primary region only
 * @param geo geo: where each client location goes; empty for the other kinds
 */
public record ManagedRecord(
        String name,
        RecordKind kind,
        List<String> regions,
        int ttl,
        OptionalInt degradedTtl,
        Optional<GeoMapping> geo) {

    public ManagedRecord(
            String name, RecordKind kind, List<String> regions, int ttl, OptionalInt degradedTtl) {
        this(name, kind, regions, ttl, degradedTtl, Optional.empty());
    }

    /** Whether the record spans its regions (round-robin, geo) rather than aliasing one. */
    public boolean spans() {
        return kind != RecordKind.ALIAS;
    }

    /** The alias record's primary region. */
    public String primary() {
        return regions.get(0);
    }
}
