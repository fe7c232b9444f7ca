package dev.pharos.decision;

import dev.pharos.config.Family;
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

    public static String key(String region, Family family) {
        return region + "/" + family.label();
    }

    /** A region left DNS at this time. */
    public record Removal(String region, Instant at) {}
}
