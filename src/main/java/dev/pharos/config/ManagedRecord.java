package dev.pharos.config;

import java.util.List;
import java.util.OptionalInt;

/**
 * A DNS name Pharos manages.
 *
 * @param name lower-case, fully qualified, without the trailing dot
 * @param regions round-robin: the regions it spans; alias: the primary region only
 */
public record ManagedRecord(
        String name, RecordKind kind, List<String> regions, int ttl, OptionalInt degradedTtl) {

    /** The alias record's primary region. */
    public String primary() {
        return regions.get(0);
    }
}
