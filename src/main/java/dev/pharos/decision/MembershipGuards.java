package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.config.PolicySettings;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
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
 *       hold-down} without interruption, so a flapping region is not re-added on every up-beat. It
 *       yields when no region in DNS for the family serves (or may serve, UNKNOWN): a serving
 *       region is then better than any other answer;
 *   <li><b>blast-radius</b>: at most {@code max-removals} distinct regions that left within {@code
 *       removal-window} may be out of DNS at once; further removals wait for the window to pass,
 *       for a removed region to come back, or for an operator's confirmation, since that many
 *       regions dying at once is more likely a monitor bug. A region back in DNS spends no budget.
 * </ul>
 *
 * Two removals never wait and spend no budget: a drain (an operator's decision, not the monitor's
 * conclusion), and a family that no region serves any more (every region of the family known not to
 * serve it: the never-empty guard then publishes every configured address whatever is removed, so
 * the answer of a total outage does not depend on the order of the deaths). A region whose state is
 * UNKNOWN keeps its membership.
 */
final class MembershipGuards {
    private MembershipGuards() {}

    record Outcome(DecisionMemory memory, List<GuardFiring> guards) {}

    /** A serving region still out of DNS because of hold-down. */
    private record Held(String region, Family family, Instant servingSince) {}

    static Outcome apply(
            Topology topology,
            Map<String, RegionStatus> statuses,
            DecisionMemory memory,
            Instant now) {
        return apply(topology, statuses, Set.of(), memory, now);
    }

    /**
     * @param withdrawn serving regions asked to leave (stale content, leave-dns): each leaves a
     *     family like a drain (no budget) while another region not withdrawn serves it, else stays
     */
    static Outcome apply(
            Topology topology,
            Map<String, RegionStatus> statuses,
            Set<String> withdrawn,
            DecisionMemory memory,
            Instant now) {
        PolicySettings policy = topology.policy();
        Map<String, Membership> next = new TreeMap<>(memory.membership());
        List<GuardFiring> guards = new ArrayList<>();
        Instant windowStart = now.minus(policy.removalWindow());
        Map<String, Instant> confirmations = new TreeMap<>();
        memory.confirmations()
                .forEach(
                        (region, at) -> {
                            if (at.isAfter(windowStart)) {
                                confirmations.put(region, at);
                            }
                        });
        Set<Family> downEverywhere = EnumSet.noneOf(Family.class);
        for (Family f : Family.values()) {
            if (downEverywhere(topology, statuses, f)) {
                downEverywhere.add(f);
            }
        }

        // a withdrawal yields where no other region serves the family: stale content beats none
        Set<String> out = new TreeSet<>();
        for (Region region : topology.regions().values()) {
            for (Family f : region.families()) {
                if (withdrawn.contains(region.name())
                        && servedByOther(topology, statuses, withdrawn, f)) {
                    out.add(DecisionMemory.key(region.name(), f));
                }
            }
        }

        // regions (and their families) that should leave now, before the blast-radius guard
        Map<String, List<Family>> leaving = new TreeMap<>();
        List<Held> held = new ArrayList<>();
        for (Region region : topology.regions().values()) {
            for (Family f : region.families()) {
                String key = DecisionMemory.key(region.name(), f);
                Membership m = next.getOrDefault(key, Membership.initial(now));
                RegionState state = state(statuses, region.name(), f);
                boolean serving = state.serving() && !out.contains(key);
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
                        held.add(new Held(region.name(), f, servingSince.get()));
                    }
                } else {
                    next.put(key, new Membership(m.in(), m.since(), servingSince));
                }
            }
        }

        // hold-down yields where no region in DNS serves the family (or may: UNKNOWN), for every
        // region held down at once (regions back together share the load); the regions about to
        // leave do not serve, so whether they leave does not change this
        Set<Family> yielding = EnumSet.noneOf(Family.class);
        for (Held h : held) {
            if (!anyInMayServe(topology, statuses, next, out, h.family())) {
                yielding.add(h.family());
            }
        }
        for (Held h : held) {
            if (yielding.contains(h.family())) {
                next.put(
                        DecisionMemory.key(h.region(), h.family()),
                        new Membership(true, now, Optional.of(h.servingSince())));
            }
        }

        // the budget: regions that left within the window and are still out of DNS
        List<DecisionMemory.Removal> removals = new ArrayList<>();
        for (DecisionMemory.Removal r : memory.removals()) {
            if (r.at().isAfter(windowStart) && out(topology, next, r.region())) {
                removals.add(r);
            }
        }
        Set<String> recent = new LinkedHashSet<>();
        removals.forEach(r -> recent.add(r.region()));
        for (Map.Entry<String, List<Family>> e : leaving.entrySet()) {
            String region = e.getKey();
            RegionStatus status = statuses.get(region);
            boolean drained = status != null && status.state() == RegionState.DRAINED;
            List<Family> free = new ArrayList<>();
            List<Family> guarded = new ArrayList<>();
            for (Family f : e.getValue()) {
                boolean withdrawal = out.contains(DecisionMemory.key(region, f));
                (drained || withdrawal || downEverywhere.contains(f) ? free : guarded).add(f);
            }
            free.forEach(f -> leave(next, region, f, now));
            if (guarded.isEmpty()) {
                continue;
            }
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
                                        + " regions that left DNS within "
                                        + human(policy.removalWindow())
                                        + " are still out ("
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
            guarded.forEach(f -> leave(next, region, f, now));
        }

        for (Held h : held) {
            if (next.get(DecisionMemory.key(h.region(), h.family())).in()) {
                continue;
            }
            guards.add(
                    GuardFiring.region(
                            Guard.HOLD_DOWN,
                            h.region(),
                            heldDown(h.region(), h.family(), h.servingSince(), policy)));
        }
        return new Outcome(new DecisionMemory(next, removals, confirmations), guards);
    }

    /** Whether a region not withdrawn serves the family. */
    private static boolean servedByOther(
            Topology topology,
            Map<String, RegionStatus> statuses,
            Set<String> withdrawn,
            Family f) {
        for (Region r : topology.regions().values()) {
            if (r.families().contains(f)
                    && !withdrawn.contains(r.name())
                    && state(statuses, r.name(), f).serving()) {
                return true;
            }
        }
        return false;
    }

    /** Why a region serving again is still out of DNS, and until when. */
    static String heldDown(String region, Family f, Instant servingSince, PolicySettings policy) {
        return region
                + " "
                + f.label()
                + " is serving again since "
                + servingSince
                + "; it re-enters DNS at "
                + servingSince.plus(policy.holdDown())
                + " (hold-down "
                + human(policy.holdDown())
                + ")";
    }

    private static void leave(Map<String, Membership> next, String region, Family f, Instant now) {
        next.put(DecisionMemory.key(region, f), new Membership(false, now, Optional.empty()));
    }

    /** Whether the region is out of DNS for any of its families. */
    static boolean out(Topology topology, Map<String, Membership> membership, String region) {
        Region r = topology.regions().get(region);
        return r != null
                && r.families().stream()
                        .anyMatch(
                                f -> {
                                    Membership m = membership.get(DecisionMemory.key(region, f));
                                    return m != null && !m.in();
                                });
    }

    private static boolean anyInMayServe(
            Topology topology,
            Map<String, RegionStatus> statuses,
            Map<String, Membership> membership,
            Set<String> leavingAnyway,
            Family f) {
        for (Region r : topology.regions().values()) {
            if (!r.families().contains(f)
                    || leavingAnyway.contains(DecisionMemory.key(r.name(), f))) {
                continue;
            }
            Membership m = membership.get(DecisionMemory.key(r.name(), f));
            RegionState s = state(statuses, r.name(), f);
            if ((m == null || m.in()) && (s.serving() || s == RegionState.UNKNOWN)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every region with an address of the family is known not to serve it (DEAD, RELAYING or
     * DRAINED; none UNKNOWN): a total outage of the family.
     */
    static boolean downEverywhere(Topology topology, Map<String, RegionStatus> statuses, Family f) {
        boolean any = false;
        for (Region r : topology.regions().values()) {
            if (!r.families().contains(f)) {
                continue;
            }
            any = true;
            RegionState s = state(statuses, r.name(), f);
            if (s.serving() || s == RegionState.UNKNOWN) {
                return false;
            }
        }
        return any;
    }

    static RegionState state(Map<String, RegionStatus> statuses, String region, Family f) {
        RegionStatus status = statuses.get(region);
        return status == null
                ? RegionState.UNKNOWN
                : status.family(f).map(FamilyStatus::state).orElse(RegionState.UNKNOWN);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s > 0 ? (s / 60) + "m" : s + "s";
    }
}
