package dev.pharos.quorum;

import dev.pharos.config.Topology;
import dev.pharos.observation.ContentState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Content metrics, one series set per checked region, created up front.
 *
 * <ul>
 *   <li>{@code pharos_content_age_seconds{region}}: seconds since the last sync the region's trace
 *       shows (as the quorum's verdict has it); NaN while unknown
 *   <li>{@code pharos_content_state{region,state}}: 1 for the region's content state, 0 for the
 *       others
 *   <li>{@code pharos_content_versions}: how many different manifest versions the checked regions
 *       serve (1 when they agree; 0 without manifests)
 * </ul>
 */
@Singleton
public class ContentMetrics {
    private static final long UNKNOWN_AGE = Long.MIN_VALUE;

    private final Map<String, AtomicLong> ages = new HashMap<>();
    private final Map<String, Map<ContentState, AtomicLong>> states = new HashMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Inject
    public ContentMetrics(Topology topology, MeterRegistry registry) {
        for (String region : topology.content().regions().keySet()) {
            AtomicLong age = new AtomicLong(UNKNOWN_AGE);
            Gauge.builder(
                            "pharos_content_age_seconds",
                            age,
                            a -> a.get() == UNKNOWN_AGE ? Double.NaN : a.get())
                    .description("seconds since the region's last complete content sync")
                    .tags("region", region)
                    .register(registry);
            ages.put(region, age);
            Map<ContentState, AtomicLong> m = new EnumMap<>(ContentState.class);
            for (ContentState s : ContentState.values()) {
                AtomicLong g = new AtomicLong(s == ContentState.UNKNOWN ? 1 : 0);
                Gauge.builder("pharos_content_state", g, AtomicLong::get)
                        .description("1 for the region's current content state")
                        .tags("region", region, "state", s.label())
                        .register(registry);
                m.put(s, g);
            }
            states.put(region, m);
        }
        Gauge.builder("pharos_content_versions", versions, AtomicLong::get)
                .description("different manifest versions served by the checked regions")
                .register(registry);
    }

    public void update(Collection<ContentVerdict> verdicts, Instant now) {
        versions.set(
                verdicts.stream()
                        .map(ContentVerdict::version)
                        .filter(Objects::nonNull)
                        .distinct()
                        .count());
        for (ContentVerdict v : verdicts) {
            Map<ContentState, AtomicLong> m = states.get(v.region());
            if (m == null) {
                continue;
            }
            m.forEach((s, g) -> g.set(s == v.state() ? 1 : 0));
            ages.get(v.region())
                    .set(
                            v.syncedAt() == null
                                    ? UNKNOWN_AGE
                                    : Math.max(0, Duration.between(v.syncedAt(), now).toSeconds()));
        }
    }
}
