package dev.pharos.config;

import dev.pharos.domain.Voters;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The other vantage points, how they reach each other, and how many must agree. */
final class QuorumSection extends ConfigSection {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    QuorumSection(PharosConfig config, BiConsumer<String, String> sink) {
        super(config, sink);
    }

    List<PeerInfo> peers(ApiTokens tokens) {
        List<PeerInfo> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < config.peers().size(); i++) {
            QuorumConfig.Peer p = config.peers().get(i);
            String key = "pharos.peers[" + i + "]";
            if (!NAME.matcher(p.name()).matches()) {
                problem(key + ".name", "'" + p.name() + "' is not a valid name ([a-z0-9-])");
            } else if (Voters.ALERTMANAGER.equals(p.name())) {
                problem(key + ".name", TopologyBuilder.RESERVED_MESSAGE);
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
                if (mtls() && !"https".equals(uri.getScheme())) {
                    problem(
                            key + ".url",
                            "must be https when pharos.api.peer-mtls is true (the certificate is"
                                    + " the credential)");
                }
            }
            List<String> digests = digests(key + ".token-sha256", p.tokenSha256(), seen);
            if (uri != null) {
                out.add(new PeerInfo(p.name(), uri, digests));
            }
        }
        if (!config.peers().isEmpty() && tokens.peer().isEmpty() && !mtls()) {
            problem(
                    "pharos.api.peer-token",
                    "required when peers are configured: the token this vantage point presents"
                            + " to its peers (set PHAROS_API_PEER_TOKEN)");
        }
        return out;
    }

    /**
     * A peer's token digests: required, each 64 hex digits, and none shared with another peer (a
     * token names exactly one vantage point).
     *
     * @param seen digests of the peers before this one
     */
    private List<String> digests(String key, Optional<String> setting, Set<String> seen) {
        List<String> out = new ArrayList<>();
        for (String d : setting.orElse("").split(",")) {
            String hex = d.strip().toLowerCase(Locale.ROOT);
            if (hex.isEmpty()) {
                continue;
            }
            if (!SHA256_HEX.matcher(hex).matches()) {
                problem(key, "'" + d.strip() + "' is not a SHA-256 digest (64 hex digits)");
            } else if (!seen.add(hex)) {
                problem(key, "the same token cannot identify two peers");
            } else {
                out.add(hex);
            }
        }
        // with mutual TLS the certificate names the peer; a token is an optional second way
        if (out.isEmpty() && setting.map(String::isBlank).orElse(true) && !mtls()) {
            problem(
                    key,
                    "required: the hex SHA-256 of the token this peer presents (its"
                            + " PHAROS_API_PEER_TOKEN), e.g. printf %s \"$TOKEN\" | sha256sum"
                            + " (or set pharos.api.peer-mtls)");
        }
        return out;
    }

    private boolean mtls() {
        return config.api().peerMtls();
    }

    /**
     * With {@code pharos.api.peer-mtls}: the API port must ask for client certificates and verify
     * them against a trust store, and the exchange's TLS configuration must hold the key pair this
     * instance presents.
     */
    private void checkMtls(PeerTlsFacts tls) {
        if (!mtls()) {
            return;
        }
        String c = tls.clientAuth() == null ? "none" : tls.clientAuth().toLowerCase(Locale.ROOT);
        if (!c.equals("request") && !c.equals("required")) {
            problem(
                    "quarkus.http.ssl.client-auth",
                    "must be request or required when pharos.api.peer-mtls is true, got " + c);
        }
        if (!tls.serverTrustStore()) {
            problem(
                    tls.serverTls() + ".trust-store",
                    "required when pharos.api.peer-mtls is true: the CA that issues the peers'"
                            + " certificates (the API port's TLS configuration,"
                            + " quarkus.http.tls-configuration-name)");
        }
        if (!config.peers().isEmpty() && !tls.clientKeyStore()) {
            problem(
                    tls.clientTls() + ".key-store",
                    "required when pharos.api.peer-mtls is true: the certificate and key this"
                            + " vantage point presents to its peers"
                            + " (pharos.quorum.tls-configuration-name)");
        }
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

    /**
     * @param tlsConfigurations whether Quarkus has a TLS configuration of this name
     */
    QuorumSettings quorum(
            List<PeerInfo> peers, Predicate<String> tlsConfigurations, PeerTlsFacts peerTls) {
        QuorumConfig.Quorum q = config.quorum();
        List<String> vantage = new ArrayList<>();
        vantage.add(config.node().name());
        peers.forEach(p -> vantage.add(p.name()));
        int n = config.peers().size() + 1;
        int size = q.size().orElse(n / 2 + 1);
        // a size of half or less is allowed, though two halves of a partition could both decide
        if (q.size().isPresent() && (size < 1 || size > n)) {
            problem(
                    "pharos.quorum.size",
                    "must be between 1 and the " + n + " configured vantage points, got " + size);
        }
        positive("pharos.quorum.exchange-interval", q.exchangeInterval());
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
        positive("pharos.quorum.max-clock-skew", q.maxClockSkew());
        if (q.warmupRounds() < 0) {
            problem("pharos.quorum.warmup-rounds", "must be at least 0, got " + q.warmupRounds());
        }
        Optional<String> tls = q.tlsConfigurationName();
        // only the exchange uses it; without peers an unknown name harms nothing
        if (tls.isPresent() && !config.peers().isEmpty() && !tlsConfigurations.test(tls.get())) {
            problem(
                    "pharos.quorum.tls-configuration-name",
                    "no TLS configuration named '"
                            + tls.get()
                            + "' (configure quarkus.tls."
                            + tls.get()
                            + ".*)");
        }
        checkMtls(peerTls);
        QuorumConfig.Reprobe r = q.reprobe();
        positive("pharos.quorum.reprobe.send-interval", r.sendInterval());
        positive("pharos.quorum.reprobe.receive-interval", r.receiveInterval());
        positive("pharos.quorum.catch-up.timeout", q.catchUp().timeout());
        return new QuorumSettings(
                List.copyOf(vantage),
                Math.max(1, Math.min(size, n)),
                q.staleAfter(),
                Math.max(0, q.warmupRounds()),
                q.exchangeInterval(),
                q.exchangeTimeout(),
                q.maxClockSkew(),
                tls,
                new QuorumSettings.Reprobe(r.enabled(), r.sendInterval(), r.receiveInterval()),
                new QuorumSettings.CatchUp(q.catchUp().enabled(), q.catchUp().timeout()),
                mtls());
    }
}
