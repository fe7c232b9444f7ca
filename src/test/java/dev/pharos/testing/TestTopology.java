package dev.pharos.testing;

import dev.pharos.api.Tokens;
import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One description of a test's Pharos configuration, given out three ways: the property map a
 * Quarkus test resource returns ({@link #properties}), the YAML file a Pharos process reads ({@link
 * #yaml}, {@link #writeYaml}) and the validated {@link Topology} a pure test works on ({@link
 * #topology}). The keys are the real configuration keys (docs/CONFIG.md); each way out is first
 * validated as start-up validates it (the config mappings, then {@code TopologyBuilder}), so a test
 * can never run a configuration Pharos would refuse: an invalid description throws {@code
 * InvalidConfigException} naming the key.
 *
 * <p>Secrets go in {@link #env}: they are validated with the rest, handed to a process as its
 * environment, and never written to the YAML file.
 */
public final class TestTopology {
    private static final String REGIONS = "pharos.regions.";

    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    /** A description with no node name yet: a template that {@link #copy} and {@link #name} use. */
    public TestTopology() {}

    public static TestTopology node(String name) {
        return new TestTopology().name(name);
    }

    /** A node in a fresh data directory with {@link Timings#FAST}. */
    public static TestTopology fast(String name) {
        return node(name).freshDataDir().timings(Timings.FAST);
    }

    /**
     * Vantage point vp1 of three (peers vp2 and vp3 at 127.0.9.2 and 127.0.9.3), watching one
     * region, europe, whose load balancer is 127.0.1.1.
     */
    public static TestTopology vp1OfThree() {
        return node("vp1")
                .peer("vp2", "http://127.0.9.2:8080")
                .peer("vp3", "http://127.0.9.3:8080")
                .set("pharos.api.peer-token", "t")
                .region("europe", "127.0.1.1");
    }

    public TestTopology copy() {
        TestTopology c = new TestTopology();
        c.properties.putAll(properties);
        c.env.putAll(env);
        return c;
    }

    public TestTopology name(String name) {
        return set("pharos.node.name", name);
    }

    public String nodeName() {
        return properties.get("pharos.node.name");
    }

    /** A new temporary directory as the data directory. */
    public TestTopology freshDataDir() {
        try {
            return dataDir(Files.createTempDirectory("pharos-" + nodeName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestTopology dataDir(Path dir) {
        return set("pharos.node.data-dir", dir.toAbsolutePath());
    }

    public Path dataDir() {
        return Path.of(properties.get("pharos.node.data-dir"));
    }

    public TestTopology sourceAddress(String address) {
        return set("pharos.node.source-address", address);
    }

    /** This instance applies changes to external DNS providers and load balancers. */
    public TestTopology actuate() {
        return set("pharos.node.actuate", true);
    }

    /** The HTTP server on {@code host}, at a port free right now. */
    public TestTopology http(String host) {
        return http(host, Ports.freeTcp(host));
    }

    /** The API on {@code host:port}; health and metrics on the same host at a free port. */
    public TestTopology http(String host, int port) {
        return set("quarkus.http.host", host)
                .set("quarkus.http.port", port)
                .set("quarkus.management.host", host)
                .set("quarkus.management.port", Ports.freeTcp(host));
    }

    public String httpHost() {
        return properties.get("quarkus.http.host");
    }

    public int httpPort() {
        return Integer.parseInt(properties.get("quarkus.http.port"));
    }

    /** The management interface's port (health, metrics). */
    public int managementPort() {
        return Integer.parseInt(properties.get("quarkus.management.port"));
    }

    public TestTopology timings(Timings t) {
        return probe("interval", t.interval())
                .probe("timeout", t.timeout())
                .probe("connect-timeout", t.connectTimeout())
                .probe("recheck", t.recheck())
                .probe("rise", t.rise())
                .probe("fall", t.fall())
                .quorum("exchange-interval", t.exchangeInterval())
                .quorum("exchange-timeout", t.exchangeTimeout())
                .quorum("stale-after", t.staleAfter())
                .quorum("warmup-rounds", t.warmupRounds());
    }

    /**
     * Pharos's https and its peer exchange through one Quarkus TLS configuration named "peer": it
     * trusts the CA certificate(s) in {@code caPem}, presents {@code certPem} with {@code keyPem}
     * (key-store entry {@code alias}), and serves https on a free port in tests.
     */
    public TestTopology peerTls(Object caPem, String alias, Object certPem, Object keyPem) {
        return set("quarkus.tls.peer.trust-store.pem.certs", caPem)
                .set("quarkus.tls.peer.key-store.pem." + alias + ".cert", certPem)
                .set("quarkus.tls.peer.key-store.pem." + alias + ".key", keyPem)
                .set("quarkus.http.tls-configuration-name", "peer")
                .set("quarkus.http.test-ssl-port", 0)
                .quorum("tls-configuration-name", "peer");
    }

    /**
     * Fast probes (every 200 ms) and a peer exchange every 2 s whose timeout, 1.5 s, leaves room
     * for a TLS handshake on a loaded machine (it can take over a second), so only a refused
     * certificate makes a peer unreachable; stale after 5 s, one warm-up round.
     */
    public TestTopology tlsPeerTimings() {
        return probe("interval", "200ms")
                .probe("timeout", "150ms")
                .probe("connect-timeout", "100ms")
                .quorum("exchange-interval", "2s")
                .quorum("exchange-timeout", "1500ms")
                .quorum("stale-after", "5s")
                .quorum("warmup-rounds", 1);
    }

    /** A probe default: {@code pharos.probe.<key>} ({@code interval}, {@code path}...). */
    public TestTopology probe(String key, Object value) {
        return set("pharos.probe." + key, value);
    }

    /** {@code pharos.quorum.<key>} ({@code stale-after}, {@code warmup-rounds}...). */
    public TestTopology quorum(String key, Object value) {
        return set("pharos.quorum." + key, value);
    }

    /**
     * The token a peer of this name presents unless a test gives another ({@link #peer(String,
     * String, String)}): tests that act as that peer send it.
     */
    public static String peerToken(String name) {
        return "test-peer-token-of-" + name;
    }

    /** A peer that presents {@link #peerToken}. */
    public TestTopology peer(String name, String url) {
        return peer(name, url, peerToken(name));
    }

    /** A peer identified by this token (its SHA-256 goes into {@code token-sha256}). */
    public TestTopology peer(String name, String url, String token) {
        String p = "pharos.peers[" + next("pharos.peers") + "]";
        return set(p + ".name", name)
                .set(p + ".url", url)
                .set(p + ".token-sha256", Tokens.sha256Hex(token));
    }

    /**
     * A peer without a token digest: with {@code pharos.api.peer-mtls} its certificate names it.
     */
    public TestTopology peerWithoutToken(String name, String url) {
        String p = "pharos.peers[" + next("pharos.peers") + "]";
        return set(p + ".name", name).set(p + ".url", url);
    }

    public TestTopology peer(FakePeer peer) {
        return peer(peer.name(), peer.url(), peer.token());
    }

    /** A target outside the CDN that this vantage point should always reach (port 80). */
    public TestTopology canary(String name, String address) {
        String c = "pharos.quorum.canaries[" + next("pharos.quorum.canaries") + "]";
        return set(c + ".name", name).set(c + ".address", address);
    }

    public TestTopology region(String name, Consumer<RegionSpec> spec) {
        spec.accept(new RegionSpec(this, REGIONS + name));
        return this;
    }

    /** A region that is one server: its load balancer. */
    public TestTopology region(String name, LoopbackHttpServer loadBalancer) {
        return region(name, r -> r.lb(loadBalancer));
    }

    /** A region that is one load balancer at this IPv4 address, on the default port. */
    public TestTopology region(String name, String ipv4) {
        return region(name, r -> r.ipv4(ipv4));
    }

    /** Every region falls back to all the others, in turn from the next one (a ring). */
    public TestTopology fallbacksInTurn() {
        List<String> names = regionNames();
        for (int i = 0; i < names.size(); i++) {
            List<String> others = new ArrayList<>();
            for (int j = 1; j < names.size(); j++) {
                others.add(names.get((i + j) % names.size()));
            }
            set(REGIONS + names.get(i) + ".fallback", others);
        }
        return this;
    }

    /** The regions described so far, in the order they were first named. */
    public List<String> regionNames() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String k : properties.keySet()) {
            if (k.startsWith(REGIONS)) {
                names.add((String) ConfigYaml.path(k).get(2));
            }
        }
        return List.copyOf(names);
    }

    public TestTopology roundRobin(String name) {
        return record(name, "round-robin");
    }

    public TestTopology roundRobin(String name, int ttl) {
        return roundRobin(name).set(lastRecord() + ".ttl", ttl);
    }

    public TestTopology alias(String name, String region) {
        return record(name, "alias").set(lastRecord() + ".region", region);
    }

    public TestTopology alias(String name, String region, int ttl) {
        return alias(name, region).set(lastRecord() + ".ttl", ttl);
    }

    /** A geo record over every region (the built-in map if they are europe, apac, americas). */
    public TestTopology geo(String name) {
        return record(name, "geo");
    }

    /** A key of the last record described ({@code count}, {@code continents.EU}...). */
    public TestTopology lastRecord(String key, Object value) {
        return set(lastRecord() + "." + key, value);
    }

    private TestTopology record(String name, String type) {
        String r = "pharos.records[" + next("pharos.records") + "]";
        return set(r + ".name", name).set(r + ".type", type);
    }

    private String lastRecord() {
        return "pharos.records[" + (next("pharos.records") - 1) + "]";
    }

    /** A safety guard: {@code pharos.policy.<key>} ({@code hold-down}, {@code max-removals}...). */
    public TestTopology policy(String key, Object value) {
        return set("pharos.policy." + key, value);
    }

    /** The DNS provider ({@code none}, {@code embedded}, {@code rfc2136}, {@code linode}). */
    public TestTopology dns(String provider) {
        return set("pharos.dns.provider", provider);
    }

    public TestTopology zone(String zone) {
        return set("pharos.dns.zone", zone);
    }

    /** The embedded DNS server on one address. */
    public TestTopology embeddedDns(String listen, int port) {
        return dns("embedded")
                .set("pharos.dns.embedded.listen", List.of(listen))
                .set("pharos.dns.embedded.port", port);
    }

    /** The load-balancer (relay) provider ({@code haproxy}, {@code linode}). */
    public TestTopology loadBalancer(String provider) {
        return set("pharos.loadbalancer.provider", provider);
    }

    /** A webhook receiver of notifications; no events listed means all. */
    public TestTopology receiver(String name, String url, String secret, String... events) {
        String r = "pharos.alerts.receivers[" + next("pharos.alerts.receivers") + "]";
        set(r + ".name", name).set(r + ".url", url).set(r + ".secret", secret);
        return events.length == 0 ? this : set(r + ".events", List.of(events));
    }

    /**
     * Any key, as docs/CONFIG.md names it ({@code pharos.policy.hold-down}, or a Quarkus key): a
     * list is written as {@code key[0]}, {@code key[1]}..., a duration in milliseconds, {@code
     * null} removes the key.
     */
    public TestTopology set(String key, Object value) {
        ConfigYaml.path(key); // a malformed key fails here, where it is written
        properties.keySet().removeIf(k -> k.startsWith(key + "["));
        if (value == null) {
            properties.remove(key);
        } else if (value instanceof List<?> list) {
            properties.remove(key);
            for (int i = 0; i < list.size(); i++) {
                set(key + "[" + i + "]", list.get(i));
            }
        } else if (value instanceof Duration d) {
            properties.put(key, d.toMillis() + "ms");
        } else {
            properties.put(key, String.valueOf(value));
        }
        return this;
    }

    /** An environment variable of the process (a secret, or one the YAML refers to as ${NAME}). */
    public TestTopology env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Map<String, String> env() {
        return Collections.unmodifiableMap(env);
    }

    /**
     * The properties, validated without the environment: a Quarkus test's application runs in the
     * test's JVM, whose environment the description cannot set (its secrets go in with {@link
     * #set}).
     */
    public Map<String, String> properties() {
        ConfigFixtures.topology("", properties, Map.of(), this::hasTlsConfiguration);
        return Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** The YAML file's text, validated as Pharos reads it (with the environment). */
    public String yaml() {
        String yaml = ConfigYaml.of(properties);
        ConfigFixtures.topology(yaml, Map.of(), env, this::hasTlsConfiguration);
        return yaml;
    }

    public Path writeYaml(Path file) {
        try {
            return Files.writeString(file, yaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The validated topology, built from the YAML as a Pharos process would build it. */
    public Topology topology() {
        return ConfigFixtures.topology(
                ConfigYaml.of(properties), Map.of(), env, this::hasTlsConfiguration);
    }

    /** Whether the description holds a Quarkus TLS configuration of this name, as Quarkus would. */
    private boolean hasTlsConfiguration(String name) {
        String prefix = "quarkus.tls." + name + ".";
        return properties.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    /** The next free index of a list key. */
    int next(String listKey) {
        int n = 0;
        while (has(listKey + "[" + n + "]")) {
            n++;
        }
        return n;
    }

    private boolean has(String prefix) {
        return properties.keySet().stream()
                .anyMatch(
                        k ->
                                k.equals(prefix)
                                        || k.startsWith(prefix + ".")
                                        || k.startsWith(prefix + "["));
    }
}
