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
 * <p>A relay forwards while its region cannot serve the visitors that resolvers still send there:
 * while it is RELAYING (its load balancer answers, its backends do not; in DNS or not), or while it
 * serves again but is out of DNS for every family (held down). A region in DNS and serving for one
 * family keeps its own traffic, even while another family is held down. The target is the first
 * region of the fallback order that is in DNS (IPv4) and serving: a region that relays is RELAYING
 * (not serving) or out of DNS, so it is never a target, and the forwarding graph has no cycle by
 * construction.
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
        boolean allOut = region.families().stream().noneMatch(f -> in.test(name, f));
        if (state.serving() && !allOut) {
            return new RelayDecision(name, Optional.empty(), name + " is in DNS and serves itself");
        }
        if (state != RegionState.RELAYING && !state.serving()) {
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
