package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
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

        /**
         * round-robin (every serving region), alias (one region, then its fallbacks) or geo (the
         * nearest serving region of the client).
         */
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

        /** geo: regions in each answer (default 1). */
        OptionalInt count();

        /** geo: continent code to its ordered regions. */
        Map<String, List<String>> continents();

        /** geo: country code to its ordered regions. */
        Map<String, List<String>> countries();

        /** geo: network (CIDR) to its ordered regions; decides before any database. */
        Map<String, List<String>> nets();

        /**
         * geo: {@code map} (continent and country lists) or {@code distance} (the regions nearest
         * the client's coordinates first, from a City database; default map).
         */
        Optional<String> mode();
    }
}
