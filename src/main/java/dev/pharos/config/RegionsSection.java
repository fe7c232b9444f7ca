package dev.pharos.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** Regions, their targets and the canaries, with each target's effective probe settings. */
final class RegionsSection extends ConfigSection {
    private final Map<String, String> endpointOwners = new HashMap<>();
    private final ProbeSpecMerger probes;

    RegionsSection(PharosConfig config, BiConsumer<String, String> sink, ProbeSpecMerger probes) {
        super(config, sink);
        this.probes = probes;
    }

    Map<String, Region> regions() {
        Map<String, Region> out = new TreeMap<>();
        if (config.regions().isEmpty()) {
            problem("pharos.regions", "at least one region is required");
            return out;
        }
        Set<String> names = new TreeMap<>(config.regions()).keySet();
        for (var e : new TreeMap<>(config.regions()).entrySet()) {
            String name = e.getKey();
            RegionsConfig.Region r = e.getValue();
            String key = "pharos.regions." + name;
            if (!NAME.matcher(name).matches()) {
                problem(key, "'" + name + "' is not a valid region name ([a-z0-9-])");
            }
            boolean hasBackends = !r.backends().isEmpty();
            RegionsConfig.LoadBalancer lb = r.loadBalancer();
            String lbKey = key + ".load-balancer";
            checkPort(lbKey + ".port", lb.port());
            Optional<Target> v4 = Optional.empty();
            Optional<Target> v6 = Optional.empty();
            if (lb.ipv4().isEmpty() && lb.ipv6().isEmpty()) {
                problem(lbKey, "needs an ipv4 or an ipv6 address");
            }
            if (lb.ipv4().isPresent()) {
                Optional<InetAddress> a = IpLiterals.parseV4(lb.ipv4().get());
                if (a.isEmpty()) {
                    problem(lbKey + ".ipv4", "'" + lb.ipv4().get() + "' is not an IPv4 address");
                } else {
                    v4 =
                            target(
                                    lbKey + ".ipv4",
                                    lbKey + ".probe",
                                    Target.loadBalancerId(name, Family.IPV4),
                                    TargetKind.LOAD_BALANCER,
                                    name,
                                    "lb-ipv4",
                                    a.get(),
                                    lb.port(),
                                    lb.probe(),
                                    hasBackends);
                }
            }
            if (lb.ipv6().isPresent()) {
                Optional<InetAddress> a = IpLiterals.parseV6(lb.ipv6().get());
                if (a.isEmpty()) {
                    problem(lbKey + ".ipv6", "'" + lb.ipv6().get() + "' is not an IPv6 address");
                } else {
                    v6 =
                            target(
                                    lbKey + ".ipv6",
                                    lbKey + ".probe",
                                    Target.loadBalancerId(name, Family.IPV6),
                                    TargetKind.LOAD_BALANCER,
                                    name,
                                    "lb-ipv6",
                                    a.get(),
                                    lb.port(),
                                    lb.probe(),
                                    hasBackends);
                }
            }

            List<Target> backends = new ArrayList<>();
            Set<String> backendNames = new HashSet<>();
            for (int i = 0; i < r.backends().size(); i++) {
                RegionsConfig.Backend b = r.backends().get(i);
                String bKey = key + ".backends[" + i + "]";
                if (!NAME.matcher(b.name()).matches()) {
                    problem(bKey + ".name", "'" + b.name() + "' is not a valid name ([a-z0-9-])");
                } else if (!backendNames.add(b.name())) {
                    problem(
                            bKey + ".name",
                            "duplicate backend '" + b.name() + "' in region " + name);
                }
                checkPort(bKey + ".port", b.port());
                Optional<InetAddress> a = IpLiterals.parseAny(b.address());
                if (a.isEmpty()) {
                    problem(bKey + ".address", "'" + b.address() + "' is not an IP address");
                    continue;
                }
                target(
                                bKey + ".address",
                                bKey + ".probe",
                                Target.backendId(name, b.name()),
                                TargetKind.BACKEND,
                                name,
                                b.name(),
                                a.get(),
                                b.port(),
                                b.probe(),
                                false)
                        .ifPresent(backends::add);
            }

            Optional<Target> relay = Optional.empty();
            Optional<RelaySettings> relaySettings = Optional.empty();
            if (r.relay().isPresent()) {
                RegionsConfig.Relay rc = r.relay().get();
                String rKey = key + ".relay";
                checkPort(rKey + ".port", rc.port());
                Optional<InetAddress> a = IpLiterals.parseAny(rc.address());
                if (a.isEmpty()) {
                    problem(rKey + ".address", "'" + rc.address() + "' is not an IP address");
                } else {
                    relay =
                            target(
                                    rKey + ".address",
                                    rKey + ".probe",
                                    Target.relayId(name),
                                    TargetKind.RELAY,
                                    name,
                                    "relay",
                                    a.get(),
                                    rc.port(),
                                    rc.probe(),
                                    false);
                }
                RegionsConfig.RelayControl c = rc.control();
                relaySettings =
                        Optional.of(
                                new RelaySettings(
                                        runtimeApi(rKey + ".control.runtime-api", c.runtimeApi()),
                                        c.forwardBackend(),
                                        runtimeApi(
                                                rKey + ".control.lb-runtime-api", c.lbRuntimeApi()),
                                        c.lbBackend(),
                                        c.lbServer(),
                                        c.nodebalancerId().or(lb::nodebalancerId),
                                        c.nodebalancerConfigId(),
                                        c.nodeId()));
            }

            List<String> fallback = r.fallback().orElse(List.of());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < fallback.size(); i++) {
                String f = fallback.get(i);
                String fKey = key + ".fallback[" + i + "]";
                if (f.equals(name)) {
                    problem(fKey, "region " + name + " cannot fall back to itself");
                } else if (!names.contains(f)) {
                    problem(fKey, "unknown region '" + f + "'");
                } else if (!seen.add(f)) {
                    problem(fKey, "region '" + f + "' is listed twice");
                }
            }
            coordinate(key + ".latitude", r.latitude(), 90);
            coordinate(key + ".longitude", r.longitude(), 180);
            if (r.latitude().isPresent() != r.longitude().isPresent()) {
                problem(
                        key + (r.latitude().isPresent() ? ".longitude" : ".latitude"),
                        "latitude and longitude go together: set both or neither");
            }
            if (r.minBackends() < 0) {
                problem(key + ".min-backends", "must be at least 0, got " + r.minBackends());
            } else if (!r.backends().isEmpty() && r.minBackends() > r.backends().size()) {
                problem(
                        key + ".min-backends",
                        r.minBackends()
                                + " is more than the region's "
                                + r.backends().size()
                                + " backends");
            }
            out.put(
                    name,
                    new Region(
                            name,
                            v4,
                            v6,
                            backends,
                            relay,
                            relaySettings,
                            fallback,
                            Math.max(0, r.minBackends()),
                            lb.nodebalancerId()));
        }
        return out;
    }

    /** A latitude or longitude in degrees: finite, between -limit and limit. */
    private void coordinate(String key, OptionalDouble value, int limit) {
        if (value.isPresent()) {
            double v = value.getAsDouble();
            if (!Double.isFinite(v) || v < -limit || v > limit) {
                problem(key, "must be between -" + limit + " and " + limit + " degrees, got " + v);
            }
        }
    }

    List<Target> canaries() {
        List<Target> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<QuorumConfig.Canary> list = config.quorum().canaries();
        for (int i = 0; i < list.size(); i++) {
            QuorumConfig.Canary c = list.get(i);
            String key = "pharos.quorum.canaries[" + i + "]";
            if (!NAME.matcher(c.name()).matches()) {
                problem(key + ".name", "'" + c.name() + "' is not a valid name ([a-z0-9-])");
            } else if (!names.add(c.name())) {
                problem(key + ".name", "duplicate canary '" + c.name() + "'");
            }
            checkPort(key + ".port", c.port());
            Optional<InetAddress> a = IpLiterals.parseAny(c.address());
            if (a.isEmpty()) {
                problem(key + ".address", "'" + c.address() + "' is not an IP address");
                continue;
            }
            target(
                            key + ".address",
                            key + ".probe",
                            Target.canaryId(c.name()),
                            TargetKind.CANARY,
                            null,
                            c.name(),
                            a.get(),
                            c.port(),
                            c.probe(),
                            false)
                    .ifPresent(out::add);
        }
        return out;
    }

    private Optional<RuntimeEndpoint> runtimeApi(String key, Optional<String> text) {
        return text.flatMap(s -> parsed(RuntimeEndpoint.parse(key, s)));
    }

    private Optional<Target> target(
            String addressKey,
            String probeKey,
            String id,
            TargetKind kind,
            String region,
            String name,
            InetAddress address,
            int port,
            ProbeOverrides overrides,
            boolean lbWithBackends) {
        String endpoint = new HostPort(address, port).toString();
        String owner = endpointOwners.putIfAbsent(endpoint, id);
        if (owner != null) {
            problem(addressKey, endpoint + " is already used by target " + owner);
        }
        Optional<ProbeSpec> spec =
                probes.merge(probeKey, overrides, IpLiterals.toText(address), kind, lbWithBackends);
        return spec.map(
                s ->
                        new Target(
                                id,
                                kind,
                                Optional.ofNullable(region),
                                name,
                                address instanceof Inet6Address ? Family.IPV6 : Family.IPV4,
                                address,
                                port,
                                s));
    }
}
