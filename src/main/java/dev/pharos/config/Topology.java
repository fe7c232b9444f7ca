package dev.pharos.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration as plain values: what every stage works on (none reads the mapped
 * configuration). Regions are ordered by name; targets by region, then load balancers, backends,
 * relay; canaries last.
 */
public record Topology(
        String nodeName,
        Optional<InetAddress> sourceAddress,
        Path dataDir,
        boolean actuate,
        List<PeerInfo> peers,
        QuorumSettings quorum,
        Map<String, Region> regions,
        List<Target> canaries,
        List<ManagedRecord> records,
        PolicySettings policy,
        DnsSettings dns,
        LoadBalancerSettings loadBalancer,
        AlertSettings alerts,
        ApiTokens api,
        JournalSettings journal,
        ApiLimits apiLimits,
        CoordinationSettings coordination,
        ContentSettings content) {

    public Topology {
        regions = Collections.unmodifiableMap(new LinkedHashMap<>(regions));
        peers = List.copyOf(peers);
        canaries = List.copyOf(canaries);
        records = List.copyOf(records);
    }

    /** Every probed target, regions first, then canaries. */
    public List<Target> targets() {
        List<Target> all = new ArrayList<>();
        regions.values().forEach(r -> all.addAll(r.targets()));
        all.addAll(canaries);
        return all;
    }

    public Map<String, Target> targetsById() {
        Map<String, Target> out = new LinkedHashMap<>();
        targets().forEach(t -> out.put(t.id(), t));
        return out;
    }

    public Optional<Region> region(String name) {
        return Optional.ofNullable(regions.get(name));
    }

    /**
     * Whether an actuator outside Pharos is configured and has something to change: an RFC 2136 or
     * Linode DNS provider with managed records, or a load-balancer provider with a relay. Exactly
     * one instance must write to it; the embedded DNS server is every instance's own.
     */
    public boolean externalActuator() {
        boolean externalDns =
                (dns.provider() == DnsSettings.Provider.RFC2136
                                || dns.provider() == DnsSettings.Provider.LINODE)
                        && !records.isEmpty();
        boolean relaying =
                loadBalancer.provider() != LoadBalancerSettings.Provider.NONE
                        && regions.values().stream().anyMatch(r -> r.relay().isPresent());
        return externalDns || relaying;
    }
}
