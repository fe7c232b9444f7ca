package dev.pharos.config;

import dev.pharos.domain.Voters;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Validates the mapped configuration and builds the {@link Topology} from it, one section at a
 * time; every problem is collected, so that start-up names them all at once.
 */
final class TopologyBuilder {
    static final String RESERVED_MESSAGE =
            "'"
                    + Voters.ALERTMANAGER
                    + "' is reserved (the voter name of inbound alerts counted as votes)";

    private final PharosConfig config;
    private final Predicate<String> tlsConfigurations;
    private final PeerTlsFacts peerTls;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private TopologyBuilder(
            PharosConfig config, Predicate<String> tlsConfigurations, PeerTlsFacts peerTls) {
        this.config = config;
        this.tlsConfigurations = tlsConfigurations;
        this.peerTls = peerTls;
    }

    /**
     * Builds the topology or throws {@link InvalidConfigException} naming every bad key.
     *
     * @param tlsConfigurations whether Quarkus has a TLS configuration of this name
     */
    static Topology build(PharosConfig config, Predicate<String> tlsConfigurations) {
        return build(config, tlsConfigurations, PeerTlsFacts.NONE);
    }

    /**
     * @param peerTls what the HTTP server and the TLS registry hold, for {@code
     *     pharos.api.peer-mtls}
     */
    static Topology build(
            PharosConfig config, Predicate<String> tlsConfigurations, PeerTlsFacts peerTls) {
        TopologyBuilder b = new TopologyBuilder(config, tlsConfigurations, peerTls);
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
        NodeConfig node = config.node();
        Optional<InetAddress> source = node();
        ApiTokens tokens = ApiTokens.of(config.api());
        tokens.shared().forEach(problems::add);
        QuorumSection quorumSection = new QuorumSection(config, this::problem);
        List<PeerInfo> peers = quorumSection.peers(tokens);
        ProbeSpecMerger probes =
                new ProbeSpecMerger(config.probe(), config.quorum().staleAfter(), this::problem);
        probes.validateDefaults();
        RegionsSection regionsSection = new RegionsSection(config, this::problem, probes);
        Map<String, Region> regions = regionsSection.regions();
        List<Target> canaries = regionsSection.canaries();
        List<ManagedRecord> records = new RecordsSection(config, this::problem).records(regions);
        QuorumSettings quorum = quorumSection.quorum(peers, tlsConfigurations, peerTls);
        PolicySettings policy = policy(regions.size());
        DnsSettings dns =
                new DnsSection(config, this::problem)
                        .dns(records, LoadBalancerSection.provider(config));
        LoadBalancerSettings loadBalancer =
                new LoadBalancerSection(config, this::problem).loadBalancer();
        AlertSettings alerts = new AlertsSection(config, this::problem).alerts(tokens);
        CoordinationSettings coordination =
                new CoordinationSection(config, this::problem).coordination();
        ContentSettings content = new ContentSection(config, this::problem).content(regions);

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
                policy,
                dns,
                loadBalancer,
                alerts,
                tokens,
                journal(node.journal()),
                ApiLimits.of(config.api(), this::problem),
                coordination,
                content,
                adaptiveTimeout(config.probe().adaptiveTimeout()));
    }

    private AdaptiveTimeoutSettings adaptiveTimeout(ProbeConfig.AdaptiveTimeout a) {
        String key = "pharos.probe.adaptive-timeout.";
        if (!ConfigSection.positive(a.floor())) {
            problem(key + "floor", "must be positive");
        }
        if (!(a.factor() >= 1.5 && a.factor() <= 100)) {
            problem(key + "factor", "must be between 1.5 and 100, got " + a.factor());
        }
        if (a.samples() < 1 || a.samples() > 1000) {
            problem(key + "samples", "must be between 1 and 1000, got " + a.samples());
        }
        return new AdaptiveTimeoutSettings(a.enabled(), a.floor(), a.factor(), a.samples());
    }

    private JournalSettings journal(NodeConfig.Journal j) {
        String key = "pharos.node.journal.";
        if (j.segmentBytes() < 65_536) {
            problem(key + "segment-bytes", "must be at least 65536, got " + j.segmentBytes());
        }
        if (j.retainSegments() < 1) {
            problem(key + "retain-segments", "must be at least 1, got " + j.retainSegments());
        }
        if (j.unwrittenLimit() < 1) {
            problem(key + "unwritten-limit", "must be at least 1, got " + j.unwrittenLimit());
        }
        return new JournalSettings(
                Math.max(65_536, j.segmentBytes()),
                Math.max(1, j.retainSegments()),
                Math.max(1, j.unwrittenLimit()));
    }

    /** Checks this vantage point's settings; the source address, if valid. */
    private Optional<InetAddress> node() {
        NodeConfig node = config.node();
        if (!ConfigSection.NAME.matcher(node.name()).matches()) {
            problem("pharos.node.name", "'" + node.name() + "' is not a valid name ([a-z0-9-])");
        } else if (Voters.ALERTMANAGER.equals(node.name())) {
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
        return source;
    }

    private PolicySettings policy(int regionCount) {
        PolicyConfig p = config.policy();
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
        if (!ConfigSection.positive(p.removalWindow())) {
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
}
