package dev.pharos.actuator.lb;

import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Relay metrics, in one place: {@code pharos_relay_active{region,target}} is 1 for the region the
 * relay of {@code region} forwards to (as last applied), 0 for the others.
 */
@Singleton
public class RelayMetrics {
    private final Map<String, Map<String, AtomicInteger>> active = new HashMap<>();

    @Inject
    public RelayMetrics(Topology topology, MeterRegistry registry) {
        for (Region r : topology.regions().values()) {
            if (r.relay().isEmpty()) {
                continue;
            }
            Map<String, AtomicInteger> targets = new HashMap<>();
            for (String target : r.fallback()) {
                AtomicInteger g = new AtomicInteger();
                Gauge.builder("pharos_relay_active", g, AtomicInteger::get)
                        .description("1 while the region's relay forwards to the target region")
                        .tags("region", r.name(), "target", target)
                        .register(registry);
                targets.put(target, g);
            }
            active.put(r.name(), targets);
        }
    }

    /** The relay of {@code region} now forwards to {@code target} (null: to nobody). */
    public void forwarding(String region, String target) {
        Map<String, AtomicInteger> m = active.get(region);
        if (m != null) {
            m.forEach((t, g) -> g.set(t.equals(target) ? 1 : 0));
        }
    }
}
