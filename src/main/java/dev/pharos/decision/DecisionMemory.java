package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the decision stage remembers between evaluations, and persists across restarts: who is in,
 * when regions were removed (blast radius), and operator confirmations.
 *
 * @param membership by "region/family" (see {@link #key})
 * @param removals region removals within the blast-radius window, oldest first
 * @param confirmations removals an operator confirmed, by region, until they expire
 */
public record DecisionMemory(
        Map<String, Membership> membership,
        List<Removal> removals,
        Map<String, Instant> confirmations) {

    public DecisionMemory {
        membership = Collections.unmodifiableMap(new TreeMap<>(membership));
        removals = List.copyOf(removals);
        confirmations = Collections.unmodifiableMap(new TreeMap<>(confirmations));
    }

    public static DecisionMemory empty() {
        return new DecisionMemory(Map.of(), List.of(), Map.of());
    }

    /**
     * This memory as far as the current configuration reaches: entries of regions (or families) no
     * longer configured are dropped, so a memory restored after a configuration change neither
     * holds anything back nor spends blast-radius budget for what is gone.
     */
    public DecisionMemory restrictTo(Topology topology) {
        Map<String, Membership> m = new TreeMap<>();
        for (Region r : topology.regions().values()) {
            for (Family f : r.families()) {
                Membership x = membership.get(key(r.name(), f));
                if (x != null) {
                    m.put(key(r.name(), f), x);
                }
            }
        }
        Map<String, Instant> c = new TreeMap<>(confirmations);
        c.keySet().retainAll(topology.regions().keySet());
        List<Removal> rs =
                removals.stream().filter(r -> topology.regions().containsKey(r.region())).toList();
        return new DecisionMemory(m, rs, c);
    }

    public static String key(String region, Family family) {
        return region + "/" + family.label();
    }

    /** A region left DNS at this time. */
    public record Removal(String region, Instant at) {}
}
