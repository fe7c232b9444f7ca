package dev.pharos.config;

import dev.pharos.domain.Voters;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

public final class TopologyBuilder {
    static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern DNS_LABEL = Pattern.compile("(\\*|[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)");

    static final String RESERVED_MESSAGE =
            "'"
                    + Voters.ALERTMANAGER
                    + "' is reserved (the voter name of inbound alerts counted as votes)";

    private final PharosConfig config;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private final ProbeSpecMerger probes;

    private TopologyBuilder(PharosConfig config) {
        this.config = config;
        this.probes = new ProbeSpecMerger(config.probe(), this::problem);
    }

    /** The event types a receiver may list in its {@code events} filter. */
    public static List<String> notifyEvents() {
        return AlertsSection.NOTIFY_EVENTS;
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

        List<PeerInfo> peers = peers();
        validateProbeDefaults();
        RegionsSection regionsSection = new RegionsSection(config, this::problem, probes);
        Map<String, Region> regions = regionsSection.regions();
        List<Target> canaries = regionsSection.canaries();
        List<ManagedRecord> records = new RecordsSection(config, this::problem).records(regions);
        QuorumSettings quorum = quorum(peers);
        PolicySettings policy = policy(regions.size());
        ProvidersSection providers = new ProvidersSection(config, this::problem);
        providers.validateDns(records);
        providers.validateLoadBalancer(regions);
        new AlertsSection(config, this::problem).validateAlerts();

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
            } else if (Voters.ALERTMANAGER.equals(p.name())) {
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
