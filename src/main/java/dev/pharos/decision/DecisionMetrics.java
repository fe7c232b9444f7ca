package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decision metrics, in one place.
 *
 * <ul>
 *   <li>{@code pharos_region_state{region,state}}: 1 for the region's current state, 0 for the
 *       others (one series per state, so alerts can say {@code state="dead"})
 *   <li>{@code pharos_region_serving{region,family}}: 1 while the region's addresses of that family
 *       belong in DNS
 *   <li>{@code pharos_all_regions_down}: 1 while every region is known not to serve some address
 *       family (DEAD, RELAYING or DRAINED) and the never-empty guard publishes every configured
 *       address of it (fail open)
 * </ul>
 */
@Singleton
public class DecisionMetrics {
    private final Map<String, Map<RegionState, AtomicInteger>> states = new HashMap<>();
    private final Map<String, Map<Family, AtomicInteger>> serving = new HashMap<>();
    private final AtomicInteger allDown = new AtomicInteger();

    @Inject
    public DecisionMetrics(Topology topology, MeterRegistry registry) {
        for (Region r : topology.regions().values()) {
            Map<RegionState, AtomicInteger> m = new EnumMap<>(RegionState.class);
            for (RegionState s : RegionState.values()) {
                AtomicInteger g = new AtomicInteger(s == RegionState.UNKNOWN ? 1 : 0);
                Gauge.builder("pharos_region_state", g, AtomicInteger::get)
                        .description("1 for the region's current state")
                        .tags("region", r.name(), "state", s.label())
                        .register(registry);
                m.put(s, g);
            }
            states.put(r.name(), m);
            Map<Family, AtomicInteger> f = new EnumMap<>(Family.class);
            for (Family family : r.families()) {
                AtomicInteger g = new AtomicInteger();
                Gauge.builder("pharos_region_serving", g, AtomicInteger::get)
                        .description("1 while the region's addresses of this family belong in DNS")
                        .tags("region", r.name(), "family", family.label())
                        .register(registry);
                f.put(family, g);
            }
            serving.put(r.name(), f);
        }
        Gauge.builder("pharos_all_regions_down", allDown, AtomicInteger::get)
                .description(
                        "1 while every region is down for some address family and every configured"
                                + " address of it is published")
                .register(registry);
    }

    /** The desired state's all-regions-down flag (kept while decisions are frozen). */
    public void allRegionsDown(boolean down) {
        allDown.set(down ? 1 : 0);
    }

    public void update(Collection<RegionStatus> regions) {
        for (RegionStatus s : regions) {
            Map<RegionState, AtomicInteger> m = states.get(s.region());
            if (m == null) {
                continue;
            }
            m.forEach((state, g) -> g.set(state == s.state() ? 1 : 0));
            serving.get(s.region()).forEach((family, g) -> g.set(s.serves(family) ? 1 : 0));
        }
    }
}
