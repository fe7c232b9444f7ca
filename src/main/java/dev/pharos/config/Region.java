package dev.pharos.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One location: a load balancer (per address family), its backends, optionally a relay, and the
 * regions it falls back to.
 *
 * @param nodebalancerId the Linode NodeBalancer of the load balancer, if it is one
 */
public record Region(
        String name,
        Optional<Target> loadBalancerV4,
        Optional<Target> loadBalancerV6,
        List<Target> backends,
        Optional<Target> relay,
        Optional<RelaySettings> relaySettings,
        List<String> fallback,
        int minBackends,
        Optional<Long> nodebalancerId) {

    public Optional<Target> loadBalancer(Family family) {
        return family == Family.IPV4 ? loadBalancerV4 : loadBalancerV6;
    }

    /** Every target of the region: load balancers, backends, relay. */
    public List<Target> targets() {
        List<Target> all = new ArrayList<>();
        loadBalancerV4.ifPresent(all::add);
        loadBalancerV6.ifPresent(all::add);
        all.addAll(backends);
        relay.ifPresent(all::add);
        return all;
    }

    public List<Family> families() {
        List<Family> out = new ArrayList<>();
        loadBalancerV4.ifPresent(t -> out.add(Family.IPV4));
        loadBalancerV6.ifPresent(t -> out.add(Family.IPV6));
        return out;
    }
}
