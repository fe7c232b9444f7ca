package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code pharos.records}: the DNS names Pharos manages; validated by {@link RecordsSection}. */
@ConfigMapping(prefix = "pharos")
public interface RecordsConfig {
    /** The DNS names Pharos manages. */
    List<Entry> records();

    /** One managed name. */
    interface Entry {
        /** Fully qualified name, e.g. cdn.example.com. */
        String name();

        /** round-robin (every serving region) or alias (one region, then its fallbacks). */
        String type();

        /** round-robin: the regions it spans (default: all). */
        Optional<List<String>> regions();

        /** alias: the primary region. */
        Optional<String> region();

        /** TTL in seconds. */
        @WithDefault("60")
        int ttl();

        /** TTL while any of the record's regions is not HEALTHY (optional). */
        OptionalInt degradedTtl();
    }
}
