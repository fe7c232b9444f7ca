package dev.pharos.config;

import dev.pharos.actuator.dns.embedded.ZoneSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validates a {@link PharosConfig} and builds the {@link Topology}. Every problem is reported with
 * the key it concerns; the build fails with all of them at once.
 */
public final class TopologyBuilder {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DNS_LABEL =
            Pattern.compile("(\\*|[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)");
    static final Set<String> DNS_PROVIDERS = Set.of("embedded", "rfc2136", "linode", "none");
    static final Set<String> LB_PROVIDERS = Set.of("none", "haproxy", "linode");
    static final Set<String> RECEIVER_TYPES = Set.of("webhook", "slack");

    /** Journal event types that open an incident a receiver can be told about. */
    public static final List<String> NOTIFY_EVENTS =
            List.of(
                    "region_state_changed",
                    "quorum_lost",
                    "all_regions_down",
                    "apply_failed",
                    "actuator_stopped",
                    "guard_fired",
                    "relay_on");

    /** Event types that resolve incidents, and the type that opens them. */
    static final Map<String, String> RESOLVING_EVENTS =
            Map.of(
                    "quorum_regained", "quorum_lost",
                    "all_regions_down_resolved", "all_regions_down",
                    "apply_ok", "apply_failed",
                    "actuator_resumed", "actuator_stopped",
                    "guard_cleared", "guard_fired",
                    "relay_off", "relay_on");

    /** The voter name of inbound alerts counted as votes: no vantage point may have it. */
    static final String RESERVED_VOTER = "alertmanager";

    static final String RESERVED_MESSAGE =
            "'alertmanager' is reserved (the voter name of inbound alerts counted as votes)";

    /** quarkus.http.limits.max-body-size as Pharos ships it. */
    static final int MAX_HTTP_BODY = 1 << 20;

    private final PharosConfig config;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, String> endpointOwners = new HashMap<>();

    private final ProbeSpecMerger probes;

    private TopologyBuilder(PharosConfig config) {
        this.config = config;
        this.probes = new ProbeSpecMerger(config.probe(), this::problem);
    }

    /** Builds the topology or throws {@link InvalidConfigException} naming every bad key. */
    public static Topology build(PharosConfig config) {
        TopologyBuilder b = new TopologyBuilder(config);
        Topology t = b.buildTopology();
        if (!b.problems.isEmpty()) {
            throw new InvalidConfigException(b.problems);
        }
        return t;
    }

    private void problem(String key, String message) {
        problems.add(new ConfigProblem(key, message));
    }

    private Topology buildTopology() {
        PharosConfig.Node node = config.node();
        if (!NAME.matcher(node.name()).matches()) {
            problem("pharos.node.name", "'" + node.name() + "' is not a valid name ([a-z0-9-])");
        } else if (RESERVED_VOTER.equals(node.name())) {
            problem("pharos.node.name", RESERVED_MESSAGE);
        }
        Optional<InetAddress> source = Optional.empty();
        if (node.sourceAddress().isPresent()) {
            source = IpLiterals.parseAny(node.sourceAddress().get());
            if (source.isEmpty()) {
                problem(
                        "pharos.node.source-address",
                        "'" + node.sourceAddress().get() + "' is not an IP address");
            }
        }
        if (node.dataDir().isBlank()) {
            problem("pharos.node.data-dir", "must not be empty");
        }

        List<PeerInfo> peers = peers();
        validateProbeDefaults();
        Map<String, Region> regions = regions();
        List<Target> canaries = canaries();
        List<ManagedRecord> records = records(regions);
        QuorumSettings quorum = quorum(peers);
        PolicySettings policy = policy(regions.size());
        validateDns(records);
        validateLoadBalancer(regions);
        validateAlerts();

        return new Topology(
                node.name(),
                source,
                Path.of(node.dataDir().isBlank() ? "data" : node.dataDir()),
                node.actuate(),
                peers,
                quorum,
                regions,
                canaries,
                records,
                policy);
    }

    private List<PeerInfo> peers() {
        List<PeerInfo> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.peers().size(); i++) {
            PharosConfig.Peer p = config.peers().get(i);
            String key = "pharos.peers[" + i + "]";
            if (!NAME.matcher(p.name()).matches()) {
                problem(key + ".name", "'" + p.name() + "' is not a valid name ([a-z0-9-])");
            } else if (RESERVED_VOTER.equals(p.name())) {
                problem(key + ".name", RESERVED_MESSAGE);
            } else if (p.name().equals(config.node().name())) {
                problem(key + ".name", "'" + p.name() + "' is this node's own name");
            } else if (!names.add(p.name())) {
                problem(key + ".name", "duplicate peer '" + p.name() + "'");
            }
            URI uri = null;
            try {
                uri = new URI(p.url());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                        || uri.getHost() == null) {
                    uri = null;
                }
            } catch (URISyntaxException e) {
                uri = null;
            }
            if (uri == null) {
                problem(key + ".url", "'" + p.url() + "' is not an http(s) URL with a host");
            } else {
                checkPeerFamily(key + ".url", uri);
                out.add(new PeerInfo(p.name(), uri));
            }
        }
        if (!config.peers().isEmpty() && TokenList.of(config.api().peerToken()).isEmpty()) {
            problem(
                    "pharos.api.peer-token",
                    "required when peers are configured (set PHAROS_API_PEER_TOKEN)");
        }
        return out;
    }

    /** The peer exchange leaves from the source address: it cannot reach the other family. */
    private void checkPeerFamily(String key, URI uri) {
        Optional<InetAddress> source = config.node().sourceAddress().flatMap(IpLiterals::parseAny);
        String host = uri.getHost().replaceAll("^\\[|\\]$", "");
        Optional<InetAddress> literal = IpLiterals.parseAny(host);
        if (source.isPresent()
                && literal.isPresent()
                && source.get().getClass() != literal.get().getClass()) {
            problem(
                    key,
                    "peer address "
                            + host
                            + " is not reachable from pharos.node.source-address "
                            + config.node().sourceAddress().get()
                            + " (another address family)");
        }
    }

    private void validateProbeDefaults() {
        probes.validateDefaults();
    }

    private Map<String, Region> regions() {
        Map<String, Region> out = new TreeMap<>();
        if (config.regions().isEmpty()) {
            problem("pharos.regions", "at least one region is required");
            return out;
        }
        Set<String> names = new TreeMap<>(config.regions()).keySet();
        for (var e : new TreeMap<>(config.regions()).entrySet()) {
            String name = e.getKey();
            PharosConfig.Region r = e.getValue();
            String key = "pharos.regions." + name;
            if (!NAME.matcher(name).matches()) {
                problem(key, "'" + name + "' is not a valid region name ([a-z0-9-])");
            }
            boolean hasBackends = !r.backends().isEmpty();
            PharosConfig.LoadBalancer lb = r.loadBalancer();
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
                PharosConfig.Backend b = r.backends().get(i);
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
                PharosConfig.Relay rc = r.relay().get();
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
                PharosConfig.RelayControl c = rc.control();
                relaySettings =
                        Optional.of(
                                new RelaySettings(
                                        c.runtimeApi(),
                                        c.forwardBackend(),
                                        c.lbRuntimeApi(),
                                        c.lbBackend(),
                                        c.lbServer(),
                                        c.nodebalancerId().or(lb::nodebalancerId),
                                        c.nodebalancerConfigId(),
                                        c.nodeId()));
                c.runtimeApi().ifPresent(s -> checkRuntimeApi(rKey + ".control.runtime-api", s));
                c.lbRuntimeApi()
                        .ifPresent(s -> checkRuntimeApi(rKey + ".control.lb-runtime-api", s));
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
                            Math.max(0, r.minBackends())));
        }
        return out;
    }

    private List<Target> canaries() {
        List<Target> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<PharosConfig.Canary> list = config.quorum().canaries();
        for (int i = 0; i < list.size(); i++) {
            PharosConfig.Canary c = list.get(i);
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

    private Optional<Target> target(
            String addressKey,
            String probeKey,
            String id,
            TargetKind kind,
            String region,
            String name,
            InetAddress address,
            int port,
            PharosConfig.ProbeOverrides overrides,
            boolean lbWithBackends) {
        String endpoint = IpLiterals.format(address) + ":" + port;
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
                                address instanceof java.net.Inet6Address
                                        ? Family.IPV6
                                        : Family.IPV4,
                                address,
                                port,
                                s));
    }

    private List<ManagedRecord> records(Map<String, Region> regions) {
        List<ManagedRecord> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Optional<String> zone = config.dns().zone().map(TopologyBuilder::normalizeName);
        for (int i = 0; i < config.records().size(); i++) {
            PharosConfig.RecordConfig r = config.records().get(i);
            String key = "pharos.records[" + i + "]";
            String name = normalizeName(r.name());
            if (!validDnsName(name)) {
                problem(key + ".name", "'" + r.name() + "' is not a valid DNS name");
            } else if (!names.add(name)) {
                problem(key + ".name", "duplicate record '" + name + "'");
            } else if (zone.isPresent() && !inZone(name, zone.get())) {
                problem(key + ".name", "'" + name + "' is not inside the zone " + zone.get());
            }
            if (r.ttl() < 1) {
                problem(key + ".ttl", "must be at least 1 second, got " + r.ttl());
            }
            if (r.degradedTtl().isPresent()
                    && (r.degradedTtl().getAsInt() < 1 || r.degradedTtl().getAsInt() > r.ttl())) {
                problem(
                        key + ".degraded-ttl",
                        "must be between 1 and the ttl ("
                                + r.ttl()
                                + "), got "
                                + r.degradedTtl().getAsInt());
            }
            String type = r.type().trim().toLowerCase(Locale.ROOT);
            List<String> spanned;
            RecordKind kind;
            switch (type) {
                case "round-robin" -> {
                    kind = RecordKind.ROUND_ROBIN;
                    if (r.region().isPresent()) {
                        problem(
                                key + ".region",
                                "round-robin records take 'regions', not 'region'");
                    }
                    spanned = r.regions().orElse(List.copyOf(regions.keySet()));
                    for (int j = 0; j < spanned.size(); j++) {
                        if (!config.regions().containsKey(spanned.get(j))) {
                            problem(
                                    key + ".regions[" + j + "]",
                                    "unknown region '" + spanned.get(j) + "'");
                        }
                    }
                    if (spanned.isEmpty()) {
                        problem(key + ".regions", "must name at least one region");
                    }
                    if (new HashSet<>(spanned).size() != spanned.size()) {
                        problem(key + ".regions", "lists a region twice");
                    }
                }
                case "alias" -> {
                    kind = RecordKind.ALIAS;
                    if (r.regions().isPresent()) {
                        problem(key + ".regions", "alias records take one 'region', not 'regions'");
                    }
                    if (r.region().isEmpty()) {
                        problem(key + ".region", "alias records need a primary region");
                        spanned = List.of();
                    } else if (!config.regions().containsKey(r.region().get())) {
                        problem(key + ".region", "unknown region '" + r.region().get() + "'");
                        spanned = List.of();
                    } else {
                        spanned = List.of(r.region().get());
                    }
                }
                default -> {
                    problem(
                            key + ".type",
                            "unknown record type '" + r.type() + "' (round-robin, alias)");
                    continue;
                }
            }
            out.add(new ManagedRecord(name, kind, List.copyOf(spanned), r.ttl(), r.degradedTtl()));
        }
        return out;
    }

    private QuorumSettings quorum(List<PeerInfo> peers) {
        PharosConfig.Quorum q = config.quorum();
        List<String> vantage = new ArrayList<>();
        vantage.add(config.node().name());
        peers.forEach(p -> vantage.add(p.name()));
        int n = config.peers().size() + 1;
        int size = q.size().orElse(n / 2 + 1);
        if (q.size().isPresent() && (size < 1 || size > n)) {
            problem(
                    "pharos.quorum.size",
                    "must be between 1 and the " + n + " configured vantage points, got " + size);
        }
        if (q.size().isPresent() && size <= n / 2 && size >= 1) {
            // allowed, but two halves of a partition could then both decide
        }
        if (!positive(q.exchangeInterval())) {
            problem("pharos.quorum.exchange-interval", "must be positive");
        }
        if (!positive(q.exchangeTimeout())) {
            problem("pharos.quorum.exchange-timeout", "must be positive");
        } else if (q.exchangeTimeout().compareTo(q.exchangeInterval()) >= 0) {
            problem(
                    "pharos.quorum.exchange-timeout",
                    "timeout "
                            + human(q.exchangeTimeout())
                            + " must be shorter than the exchange interval "
                            + human(q.exchangeInterval()));
        }
        if (q.staleAfter().compareTo(q.exchangeInterval()) <= 0) {
            problem(
                    "pharos.quorum.stale-after",
                    human(q.staleAfter())
                            + " must be longer than the exchange interval "
                            + human(q.exchangeInterval()));
        }
        Duration slowest = config.probe().interval().plus(config.probe().timeout());
        if (q.staleAfter().compareTo(slowest) <= 0) {
            problem(
                    "pharos.quorum.stale-after",
                    human(q.staleAfter())
                            + " must be longer than the probe interval plus timeout "
                            + human(slowest));
        }
        if (q.warmupRounds() < 0) {
            problem("pharos.quorum.warmup-rounds", "must be at least 0, got " + q.warmupRounds());
        }
        return new QuorumSettings(
                List.copyOf(vantage),
                Math.max(1, Math.min(size, n)),
                q.staleAfter(),
                Math.max(0, q.warmupRounds()),
                q.exchangeInterval(),
                q.exchangeTimeout());
    }

    private PolicySettings policy(int regionCount) {
        PharosConfig.Policy p = config.policy();
        if (p.minRegions() < 0 || (regionCount > 0 && p.minRegions() > regionCount)) {
            problem(
                    "pharos.policy.min-regions",
                    "must be between 0 and the number of regions ("
                            + regionCount
                            + "), got "
                            + p.minRegions());
        }
        int maxRemovals = p.maxRemovals().orElse((regionCount + 1) / 2);
        if (p.maxRemovals().isPresent() && maxRemovals < 1) {
            problem("pharos.policy.max-removals", "must be at least 1, got " + maxRemovals);
        }
        if (p.removalWindow().isNegative() || p.removalWindow().isZero()) {
            problem("pharos.policy.removal-window", "must be positive");
        }
        if (p.holdDown().isNegative()) {
            problem("pharos.policy.hold-down", "must not be negative");
        }
        return new PolicySettings(
                p.dryRun(),
                p.minRegions(),
                Math.max(1, maxRemovals),
                p.removalWindow(),
                p.holdDown());
    }

    private void validateDns(List<ManagedRecord> records) {
        PharosConfig.Dns dns = config.dns();
        String provider = dns.provider().trim().toLowerCase(Locale.ROOT);
        if (!DNS_PROVIDERS.contains(provider)) {
            problem(
                    "pharos.dns.provider",
                    "unknown provider '" + dns.provider() + "' (embedded, rfc2136, linode, none)");
            return;
        }
        if (dns.zone().isPresent() && !validDnsName(normalizeName(dns.zone().get()))) {
            problem("pharos.dns.zone", "'" + dns.zone().get() + "' is not a valid DNS name");
        }
        if (!"none".equals(provider) && !records.isEmpty() && dns.zone().isEmpty()) {
            problem("pharos.dns.zone", "required when records are managed by provider " + provider);
        }
        if ("embedded".equals(provider)) {
            PharosConfig.Embedded e = dns.embedded();
            for (int i = 0; i < e.listen().size(); i++) {
                if (IpLiterals.parseAny(e.listen().get(i)).isEmpty()) {
                    problem(
                            "pharos.dns.embedded.listen[" + i + "]",
                            "'" + e.listen().get(i) + "' is not an IP address");
                }
            }
            checkPort("pharos.dns.embedded.port", e.port());
            if (e.rateLimit() < 0) {
                problem("pharos.dns.embedded.rate-limit", "must be at least 0");
            }
            if (e.rateLimitSlip() < 0) {
                problem("pharos.dns.embedded.rate-limit-slip", "must be at least 0");
            }
            if (!positive(e.tcpIdleTimeout())) {
                problem("pharos.dns.embedded.tcp-idle-timeout", "must be positive");
            }
            if (e.maxTcpConnections() < 1) {
                problem("pharos.dns.embedded.max-tcp-connections", "must be at least 1");
            }
            if (dns.zone().isPresent() && validDnsName(normalizeName(dns.zone().get()))) {
                // the same parser the server uses: what passes here is what it serves
                Set<String> managed = new HashSet<>();
                records.forEach(r -> managed.add(r.name()));
                ZoneSettings.parse(dns, managed, this::problem);
            }
        }
        if ("rfc2136".equals(provider)) {
            Optional<String> server = dns.rfc2136().server();
            if (server.isEmpty()) {
                problem("pharos.dns.rfc2136.server", "required for provider rfc2136");
            } else if (parseHostPort(server.get()).isEmpty()) {
                problem(
                        "pharos.dns.rfc2136.server",
                        "'" + server.get() + "' is not an address:port");
            }
            if (dns.rfc2136().tsigKeyName().isPresent() != dns.rfc2136().tsigSecret().isPresent()) {
                problem(
                        "pharos.dns.rfc2136.tsig-secret",
                        "tsig-key-name and tsig-secret go together (set PHAROS_DNS_RFC2136_TSIG_SECRET)");
            }
        }
        if ("linode".equals(provider) && dns.linode().token().isEmpty()) {
            problem(
                    "pharos.dns.linode.token",
                    "required for provider linode (set PHAROS_DNS_LINODE_TOKEN)");
        }
        String lbProvider = config.loadBalancer().provider().trim().toLowerCase(Locale.ROOT);
        if ("linode".equals(provider) || "linode".equals(lbProvider)) {
            validateLinodeApi(dns.linode());
        }
        if (dns.verifyServers().isPresent()) {
            List<String> servers = dns.verifyServers().get();
            for (int i = 0; i < servers.size(); i++) {
                if (parseHostPort(servers.get(i)).isEmpty()) {
                    problem(
                            "pharos.dns.verify-servers[" + i + "]",
                            "'" + servers.get(i) + "' is not an address:port");
                }
            }
        }
    }

    private void validateLinodeApi(PharosConfig.Linode l) {
        try {
            URI u = new URI(l.baseUrl());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                    || u.getHost() == null) {
                problem(
                        "pharos.dns.linode.base-url",
                        "'" + l.baseUrl() + "' is not an http(s) URL");
            }
        } catch (URISyntaxException e) {
            problem("pharos.dns.linode.base-url", "'" + l.baseUrl() + "' is not an http(s) URL");
        }
        if (l.requestsPerMinute() < 1 || l.requestsPerMinute() > 200) {
            problem(
                    "pharos.dns.linode.requests-per-minute",
                    "must be between 1 and 200 (Linode allows about 200 paginated GETs a"
                            + " minute), got "
                            + l.requestsPerMinute());
        }
        if (l.pageSize() < 25 || l.pageSize() > 500) {
            problem(
                    "pharos.dns.linode.page-size",
                    "must be between 25 and 500 (Linode's limits), got " + l.pageSize());
        }
        if (!positive(l.timeout())) {
            problem("pharos.dns.linode.timeout", "must be positive");
        }
    }

    private void validateLoadBalancer(Map<String, Region> regions) {
        PharosConfig.LoadBalancerSection lb = config.loadBalancer();
        String provider = lb.provider().trim().toLowerCase(Locale.ROOT);
        if (!LB_PROVIDERS.contains(provider)) {
            problem(
                    "pharos.loadbalancer.provider",
                    "unknown provider '" + lb.provider() + "' (none, haproxy, linode)");
        }
        for (var e : new TreeMap<>(config.regions()).entrySet()) {
            String key = "pharos.regions." + e.getKey();
            PharosConfig.Region r = e.getValue();
            checkId(key + ".load-balancer.nodebalancer-id", r.loadBalancer().nodebalancerId());
            if (r.relay().isEmpty()) {
                continue;
            }
            PharosConfig.RelayControl c = r.relay().get().control();
            String cKey = key + ".relay.control";
            checkId(cKey + ".nodebalancer-id", c.nodebalancerId());
            checkId(cKey + ".nodebalancer-config-id", c.nodebalancerConfigId());
            checkId(cKey + ".node-id", c.nodeId());
            if (!"none".equals(provider) && c.runtimeApi().isEmpty()) {
                problem(
                        cKey + ".runtime-api",
                        "required for loadbalancer provider "
                                + provider
                                + ": Pharos sets where the relay forwards through it");
            }
            if ("haproxy".equals(provider) && c.lbRuntimeApi().isEmpty()) {
                problem(
                        cKey + ".lb-runtime-api",
                        "required for loadbalancer provider haproxy: the runtime API of the"
                                + " region's load balancer, which holds the relay server");
            }
            if (!"linode".equals(provider)) {
                continue;
            }
            if (c.nodebalancerId().isEmpty() && r.loadBalancer().nodebalancerId().isEmpty()) {
                problem(
                        cKey + ".nodebalancer-id",
                        "required for loadbalancer provider linode (or set "
                                + key
                                + ".load-balancer.nodebalancer-id)");
            }
            if (c.nodebalancerConfigId().isEmpty()) {
                problem(
                        cKey + ".nodebalancer-config-id",
                        "required for loadbalancer provider linode");
            }
            if (c.nodeId().isEmpty()) {
                problem(cKey + ".node-id", "required for loadbalancer provider linode");
            }
        }
        if ("linode".equals(provider)) {
            if (lb.linodeToken().isEmpty() && config.dns().linode().token().isEmpty()) {
                problem(
                        "pharos.loadbalancer.linode-token",
                        "required for provider linode (set PHAROS_LOADBALANCER_LINODE_TOKEN, or"
                                + " PHAROS_DNS_LINODE_TOKEN for both)");
            }
            if (!positive(lb.linodePollInterval())) {
                problem("pharos.loadbalancer.linode-poll-interval", "must be positive");
            }
        }
    }

    private void checkId(String key, Optional<Long> id) {
        if (id.isPresent() && id.get() < 1) {
            problem(key, "must be a positive Linode id, got " + id.get());
        }
    }

    private void validateAlerts() {
        List<PharosConfig.Receiver> receivers = config.alerts().receivers();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < receivers.size(); i++) {
            PharosConfig.Receiver r = receivers.get(i);
            String key = "pharos.alerts.receivers[" + i + "]";
            if (!NAME.matcher(r.name()).matches()) {
                problem(key + ".name", "'" + r.name() + "' is not a valid name ([a-z0-9-])");
            } else if (!names.add(r.name())) {
                problem(key + ".name", "duplicate receiver '" + r.name() + "'");
            }
            if (!RECEIVER_TYPES.contains(r.type())) {
                problem(key + ".type", "unknown receiver type '" + r.type() + "' (webhook, slack)");
            }
            boolean secret = r.secret().filter(s -> !s.isBlank()).isPresent();
            if ("webhook".equals(r.type()) && !secret) {
                problem(
                        key + ".secret",
                        "required for a webhook receiver (its payloads are signed); set it from"
                                + " the environment");
            } else if ("slack".equals(r.type()) && secret) {
                problem(
                        key + ".secret",
                        "a slack receiver is not signed (its URL is the secret); remove it");
            }
            if (!Set.of("info", "warning", "critical").contains(r.minSeverity())) {
                problem(
                        key + ".min-severity",
                        "unknown severity '" + r.minSeverity() + "' (info, warning, critical)");
            }
            List<String> events = r.events().orElse(List.of());
            for (int j = 0; j < events.size(); j++) {
                String e = events.get(j);
                if (RESOLVING_EVENTS.containsKey(e)) {
                    problem(
                            key + ".events[" + j + "]",
                            "'"
                                    + e
                                    + "' resolves incidents; list '"
                                    + RESOLVING_EVENTS.get(e)
                                    + "' (a receiver hears the resolution of every incident it"
                                    + " was told about)");
                } else if (!NOTIFY_EVENTS.contains(e)) {
                    problem(
                            key + ".events[" + j + "]",
                            "unknown event type '"
                                    + e
                                    + "' ("
                                    + String.join(", ", NOTIFY_EVENTS)
                                    + ")");
                }
            }
            try {
                URI u = new URI(r.url());
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                        || u.getHost() == null) {
                    problem(key + ".url", "not an http(s) URL with a host");
                }
            } catch (URISyntaxException e) {
                problem(key + ".url", "not an http(s) URL with a host");
            }
        }
        PharosConfig.Delivery d = config.alerts().delivery();
        positive("pharos.alerts.delivery.timeout", d.timeout());
        positive("pharos.alerts.delivery.first-retry", d.firstRetry());
        positive("pharos.alerts.delivery.max-age", d.maxAge());
        if (positive(d.firstRetry()) && d.maxRetryDelay().compareTo(d.firstRetry()) < 0) {
            problem(
                    "pharos.alerts.delivery.max-retry-delay",
                    human(d.maxRetryDelay())
                            + " is shorter than first-retry "
                            + human(d.firstRetry()));
        }
        if (d.queueSize() < 1) {
            problem("pharos.alerts.delivery.queue-size", "must be at least 1");
        }
        PharosConfig.Inbound in = config.alerts().inbound();
        if (in.maxBytes() < 1024 || in.maxBytes() > MAX_HTTP_BODY) {
            problem(
                    "pharos.alerts.inbound.max-bytes",
                    in.maxBytes()
                            + " is outside 1024-"
                            + MAX_HTTP_BODY
                            + " (the HTTP body limit, 1 MiB)");
        }
        positive("pharos.alerts.inbound.vote-ttl", in.voteTtl());
        if (in.countAsVote() && config.api().alertToken().filter(t -> !t.isBlank()).isEmpty()) {
            problem(
                    "pharos.alerts.inbound.count-as-vote",
                    "needs the alert token (set PHAROS_API_ALERT_TOKEN) to receive alerts at all");
        }
    }

    private void positive(String key, Duration d) {
        if (!positive(d)) {
            problem(key, "must be positive");
        }
    }

    private void checkPort(String key, int port) {
        if (port < 1 || port > 65535) {
            problem(key, "port " + port + " is outside 1-65535");
        }
    }

    private void checkRuntimeApi(String key, String value) {
        if (value.startsWith("unix:") && value.length() > 5) {
            return;
        }
        if (value.startsWith("tcp:") && parseHostPort(value.substring(4)).isPresent()) {
            return;
        }
        problem(key, "'" + value + "' is neither unix:/path nor tcp:address:port");
    }

    /** "127.0.0.1:53", "[::1]:53". */
    public static Optional<java.net.InetSocketAddress> parseHostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        Optional<InetAddress> a = IpLiterals.parseAny(text.substring(0, colon));
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 1 || port > 65535 || a.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new java.net.InetSocketAddress(a.get(), port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static String normalizeName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    static boolean validDnsName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean inZone(String name, String zone) {
        return name.equals(zone) || name.endsWith("." + zone);
    }

    static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    static String human(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
