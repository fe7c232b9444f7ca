package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.config.PolicySettings;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which regions are in DNS, per family, from their states and the memory of earlier
 * decisions, applying the two guards that work on regions rather than records:
 *
 * <ul>
 *   <li><b>hold-down</b>: a region that was out re-enters only after it has been serving for {@code
 *       hold-down} without interruption, so a flapping region is not re-added on every up-beat;
 *   <li><b>blast-radius</b>: at most {@code max-removals} distinct regions leave within {@code
 *       removal-window}; further removals wait for the window to pass or for an operator's
 *       confirmation, since that many regions dying at once is more likely a monitor bug.
 * </ul>
 *
 * A region whose state is UNKNOWN keeps its membership.
 */
final class MembershipGuards {
    private MembershipGuards() {}

    record Outcome(DecisionMemory memory, List<GuardFiring> guards) {}

    static Outcome apply(
            Topology topology,
            Map<String, RegionStatus> statuses,
            DecisionMemory memory,
            Instant now) {
        PolicySettings policy = topology.policy();
        Map<String, Membership> next = new TreeMap<>(memory.membership());
        List<GuardFiring> guards = new ArrayList<>();
        Instant windowStart = now.minus(policy.removalWindow());
        List<DecisionMemory.Removal> removals = new ArrayList<>();
        for (DecisionMemory.Removal r : memory.removals()) {
            if (r.at().isAfter(windowStart)) {
                removals.add(r);
            }
        }
        Map<String, Instant> confirmations = new TreeMap<>();
        memory.confirmations()
                .forEach(
                        (region, at) -> {
                            if (at.isAfter(windowStart)) {
                                confirmations.put(region, at);
                            }
                        });

        // regions (and their families) that should leave now, before the blast-radius guard
        Map<String, List<Family>> leaving = new TreeMap<>();
        for (Region region : topology.regions().values()) {
            RegionStatus status = statuses.get(region.name());
            for (Family f : region.families()) {
                String key = DecisionMemory.key(region.name(), f);
                Membership m = next.getOrDefault(key, Membership.initial(now));
                RegionState state =
                        status == null
                                ? RegionState.UNKNOWN
                                : status.family(f)
                                        .map(FamilyStatus::state)
                                        .orElse(RegionState.UNKNOWN);
                boolean serving = state.serving();
                Optional<Instant> servingSince =
                        serving ? Optional.of(m.servingSince().orElse(now)) : Optional.empty();
                if (state == RegionState.UNKNOWN) {
                    next.put(key, m);
                } else if (m.in() && !serving) {
                    next.put(key, new Membership(true, m.since(), Optional.empty()));
                    leaving.computeIfAbsent(region.name(), k -> new ArrayList<>()).add(f);
                } else if (!m.in() && serving) {
                    Instant back = servingSince.get().plus(policy.holdDown());
                    if (!now.isBefore(back)) {
                        next.put(key, new Membership(true, now, servingSince));
                    } else {
                        next.put(key, new Membership(false, m.since(), servingSince));
                        guards.add(
                                GuardFiring.region(
                                        Guard.HOLD_DOWN,
                                        region.name(),
                                        region.name()
                                                + " "
                                                + f.label()
                                                + " is serving again since "
                                                + servingSince.get()
                                                + "; it re-enters DNS at "
                                                + back
                                                + " (hold-down "
                                                + human(policy.holdDown())
                                                + ")"));
                    }
                } else {
                    next.put(key, new Membership(m.in(), m.since(), servingSince));
                }
            }
        }

        Set<String> recent = new LinkedHashSet<>();
        removals.forEach(r -> recent.add(r.region()));
        for (Map.Entry<String, List<Family>> e : leaving.entrySet()) {
            String region = e.getKey();
            boolean counted = recent.contains(region);
            boolean confirmed = confirmations.containsKey(region);
            if (!counted && recent.size() >= policy.maxRemovals() && !confirmed) {
                guards.add(
                        GuardFiring.region(
                                Guard.BLAST_RADIUS,
                                region,
                                "not removing "
                                        + region
                                        + ": "
                                        + recent.size()
                                        + " regions already left DNS within "
                                        + human(policy.removalWindow())
                                        + " ("
                                        + String.join(", ", new TreeSet<>(recent))
                                        + "), max-removals is "
                                        + policy.maxRemovals()
                                        + "; confirm with POST /api/v1/plan/confirm if this is real"));
                continue;
            }
            // one entry per region, at its latest departure: a region that leaves again counts
            // for a whole window from now, not from the first time it left
            removals.removeIf(r -> r.region().equals(region));
            removals.add(new DecisionMemory.Removal(region, now));
            if (!counted) {
                recent.add(region);
                if (confirmed) {
                    confirmations.remove(region);
                }
            }
            for (Family f : e.getValue()) {
                String key = DecisionMemory.key(region, f);
                next.put(key, new Membership(false, now, Optional.empty()));
            }
        }
        return new Outcome(new DecisionMemory(next, removals, confirmations), guards);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s > 0 ? (s / 60) + "m" : s + "s";
    }
}
