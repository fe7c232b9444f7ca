package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Which relays forward, and where, as a pure function (what a relay is and why:
 * deploy/relay/README.md).
 *
 * <p>A relay forwards while its region is out of DNS but its load balancer still answers (RELAYING,
 * or serving again but still held down), since resolvers keep sending visitors there. The target is
 * the first region of the fallback order that is in DNS and serving: a region that relays is out of
 * DNS, so it is never a target, and the forwarding graph has no cycle by construction.
 */
public final class RelayChooser {
    private RelayChooser() {}

    public static Map<String, RelayDecision> choose(
            Topology topology, Map<String, RegionStatus> statuses, BiPredicate<String, Family> in) {
        Map<String, RelayDecision> out = new TreeMap<>();
        for (Region region : topology.regions().values()) {
            if (region.relay().isEmpty()) {
                continue;
            }
            out.put(region.name(), decide(topology, region, statuses, in));
        }
        return out;
    }

    private static RelayDecision decide(
            Topology topology,
            Region region,
            Map<String, RegionStatus> statuses,
            BiPredicate<String, Family> in) {
        String name = region.name();
        RegionStatus status = statuses.get(name);
        RegionState state = status == null ? RegionState.UNKNOWN : status.state();
        boolean out = region.families().stream().anyMatch(f -> !in.test(name, f));
        if (!out) {
            return new RelayDecision(name, Optional.empty(), name + " is in DNS and serves itself");
        }
        boolean lbAnswers = state == RegionState.RELAYING || state.serving();
        if (!lbAnswers) {
            return new RelayDecision(
                    name, Optional.empty(), name + " is " + state + ": nothing reaches its relay");
        }
        for (String candidate : region.fallback()) {
            Region c = topology.regions().get(candidate);
            RegionStatus cs = statuses.get(candidate);
            if (c == null || cs == null || c.loadBalancerV4().isEmpty()) {
                continue;
            }
            if (cs.state().serving() && in.test(candidate, Family.IPV4)) {
                String why =
                        state == RegionState.RELAYING
                                ? name + " is RELAYING (" + status.reason() + ")"
                                : name + " is serving again but not yet back in DNS (hold-down)";
                return new RelayDecision(
                        name, Optional.of(candidate), why + "; forwarding to " + candidate);
            }
        }
        return new RelayDecision(
                name,
                Optional.empty(),
                "no region in "
                        + name
                        + "'s fallback order "
                        + region.fallback()
                        + " is in DNS and serving");
    }
}
