package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.config.PolicySettings;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The decision memory as the operator reads it: every entry that holds an answer back. */
public final class Holds {
    private Holds() {}

    /**
     * @param statuses the regions' current states (a region out of DNS that serves is held down;
     *     one that does not is simply removed)
     */
    public static List<Hold> of(
            Topology topology,
            DecisionMemory memory,
            Map<String, RegionStatus> statuses,
            Instant now) {
        PolicySettings policy = topology.policy();
        List<Hold> out = new ArrayList<>();
        for (Region r : topology.regions().values()) {
            for (Family f : r.families()) {
                Membership m = memory.membership().get(DecisionMemory.key(r.name(), f));
                if (m == null || m.in()) {
                    continue;
                }
                RegionState state = MembershipGuards.state(statuses, r.name(), f);
                if (state.serving() && m.servingSince().isPresent()) {
                    Instant since = m.servingSince().get();
                    Instant back = since.plus(policy.holdDown());
                    out.add(
                            new Hold(
                                    Hold.Kind.HOLD_DOWN,
                                    r.name(),
                                    f.label(),
                                    since,
                                    back,
                                    MembershipGuards.heldDown(r.name(), f, since, policy)));
                } else {
                    out.add(
                            new Hold(
                                    Hold.Kind.REMOVED,
                                    r.name(),
                                    f.label(),
                                    m.since(),
                                    null,
                                    r.name()
                                            + " "
                                            + f.label()
                                            + " left DNS at "
                                            + m.since()
                                            + " and is "
                                            + state
                                            + "; it re-enters after serving for "
                                            + MembershipGuards.human(policy.holdDown())));
                }
            }
        }
        Instant windowStart = now.minus(policy.removalWindow());
        for (DecisionMemory.Removal r : memory.removals()) {
            if (!r.at().isAfter(windowStart)
                    || !MembershipGuards.out(topology, memory.membership(), r.region())) {
                continue;
            }
            Instant until = r.at().plus(policy.removalWindow());
            out.add(
                    new Hold(
                            Hold.Kind.BLAST_RADIUS_WINDOW,
                            r.region(),
                            null,
                            r.at(),
                            until,
                            r.region()
                                    + " left DNS at "
                                    + r.at()
                                    + " and is still out: it counts against max-removals "
                                    + policy.maxRemovals()
                                    + " until "
                                    + until
                                    + " or until it is back in DNS"));
        }
        memory.confirmations()
                .forEach(
                        (region, at) -> {
                            if (!at.isAfter(windowStart)) {
                                return;
                            }
                            Instant until = at.plus(policy.removalWindow());
                            out.add(
                                    new Hold(
                                            Hold.Kind.CONFIRMATION,
                                            region,
                                            null,
                                            at,
                                            until,
                                            "an operator confirmed removing "
                                                    + region
                                                    + " at "
                                                    + at
                                                    + "; its next removal uses it, else it expires"
                                                    + " at "
                                                    + until));
                        });
        return List.copyOf(out);
    }
}
