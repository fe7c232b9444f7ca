package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Region states -> desired state, through the safety guards, as a pure function: membership
 * (hold-down, blast radius), records (never-empty, min-regions, TTL policy), relays.
 */
public final class Decider {
    private Decider() {}

    /** The desired state and the memory to keep for the next evaluation. */
    public record Result(DesiredState desired, DecisionMemory memory) {}

    public static Result decide(
            Topology topology,
            Map<String, RegionStatus> statuses,
            DecisionMemory memory,
            Instant now) {
        return decide(topology, statuses, Set.of(), memory, now);
    }

    /**
     * @param withdrawn serving regions that should leave DNS all the same (STALE content with
     *     {@code content.on-stale: leave-dns}): they leave like a drain, without spending the blast
     *     radius, unless no other region serves the family; never-empty and min-regions apply
     */
    public static Result decide(
            Topology topology,
            Map<String, RegionStatus> statuses,
            Set<String> withdrawn,
            DecisionMemory memory,
            Instant now) {
        return decide(topology, statuses, withdrawn, Set.of(), memory, now);
    }

    /**
     * @param leftOutOfGeo regions to pass over in geo records' answers while they stay in DNS
     *     (STALE content with {@code content.on-stale: leave-geo}); carried as they are in the
     *     desired state
     */
    public static Result decide(
            Topology topology,
            Map<String, RegionStatus> statuses,
            Set<String> withdrawn,
            Set<String> leftOutOfGeo,
            DecisionMemory memory,
            Instant now) {
        MembershipGuards.Outcome membership =
                MembershipGuards.apply(topology, statuses, withdrawn, memory, now);
        DecisionMemory next = membership.memory();
        BiPredicate<String, Family> in =
                (region, f) -> {
                    Membership m = next.membership().get(DecisionMemory.key(region, f));
                    return m == null || m.in();
                };
        Map<RecordKey, RecordSet> raw =
                ManagedRecords.build(topology, in, r -> ttl(topology, r, statuses));
        RecordGuards.Outcome records = RecordGuards.apply(topology, raw, statuses);
        List<GuardFiring> guards = new ArrayList<>(membership.guards());
        guards.addAll(records.guards());
        // one rule for a total outage, whatever the order of the deaths: while a family has no
        // region left that serves it, every membership of the family is out (the guards let
        // those removals through), so the never-empty guard publishes every configured address
        boolean allDown = false;
        for (Family f : Family.values()) {
            allDown |= MembershipGuards.downEverywhere(topology, statuses, f);
        }
        DesiredState desired =
                new DesiredState(
                        records.records(),
                        RelayChooser.choose(topology, statuses, in),
                        guards,
                        allDown,
                        leftOutOfGeo);
        return new Result(desired, next);
    }

    /**
     * The lower TTL while any of the record's regions (an alias: its primary) is not HEALTHY: a
     * change is then likely, and resolvers should come back for it sooner (docs/OPERATIONS.md,
     * "TTLs and the worst-case failover time").
     */
    static int ttl(Topology topology, ManagedRecord r, Map<String, RegionStatus> statuses) {
        if (r.degradedTtl().isEmpty()) {
            return r.ttl();
        }
        List<String> regions = r.spans() ? r.regions() : List.of(r.primary());
        for (String region : regions) {
            RegionStatus s = statuses.get(region);
            if (s == null || s.state() != RegionState.HEALTHY) {
                return r.degradedTtl().getAsInt();
            }
        }
        return r.ttl();
    }
}
