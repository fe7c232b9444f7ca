package dev.pharos.it;

import static org.awaitility.Awaitility.await;

import dev.pharos.domain.RecordKey;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.NameServerWatch;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * N Pharos instances as equal peers: vantage point i is {@code vp<i>} at 127.0.9.i, listening there
 * on a free port and sending its probes and peer requests from that address. Each runs the shared
 * description (regions, timings) with its own node settings, every other instance as a peer, and
 * DNS provider {@code none} unless the caller gives each its own. Each vantage point presents its
 * own peer token ({@link #token}), and every other one knows it by its digest: a token speaks for
 * one vantage point only.
 */
public final class Cluster implements AutoCloseable {
    private final List<PharosInstance> instances = new ArrayList<>();
    private final String peerToken;
    private final int offset;

    /** Vantage point i's embedded name server's port at [i] ({@link #ofThreeNameServers}). */
    private int[] nameServerPorts;

    /**
     * @param peers whether the instances know each other (without, each decides alone: what the
     *     exchange costs is the difference)
     */
    public Cluster(
            int n,
            TestTopology shared,
            boolean peers,
            Path dir,
            String peerToken,
            List<String> jvmOptions) {
        this(n, shared, peers, dir, peerToken, jvmOptions, (i, t) -> {});
    }

    /**
     * @param each changes vantage point i's description (counted from 1) last, after its node
     *     settings: its own embedded DNS server, say
     */
    public Cluster(
            int n,
            TestTopology shared,
            boolean peers,
            Path dir,
            String peerToken,
            List<String> jvmOptions,
            BiConsumer<Integer, TestTopology> each) {
        this(0, n, shared, peers, dir, peerToken, jvmOptions, each);
    }

    /**
     * A cluster whose vantage points are numbered from {@code offset + 1}: {@code vp<offset+i>} at
     * 127.0.9.(offset+i), so that two clusters can run side by side; {@link #vp} and {@code each}
     * still count from 1.
     */
    public Cluster(
            int offset,
            int n,
            TestTopology shared,
            boolean peers,
            Path dir,
            String peerToken,
            List<String> jvmOptions,
            BiConsumer<Integer, TestTopology> each) {
        this.peerToken = peerToken;
        this.offset = offset;
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ports.add(PharosInstance.freePort(address(offset + i)));
        }
        for (int i = 1; i <= n; i++) {
            int k = offset + i;
            TestTopology t =
                    shared.copy()
                            .name("vp" + k)
                            .http(address(k), ports.get(i - 1))
                            .sourceAddress(address(k))
                            .dataDir(dir.resolve("vp" + k))
                            .dns("none")
                            .env("PHAROS_API_PEER_TOKEN", token(i));
            for (int j = 1; peers && j <= n; j++) {
                if (j != i) {
                    t.peer(
                            "vp" + (offset + j),
                            "http://" + address(offset + j) + ":" + ports.get(j - 1),
                            token(j));
                }
            }
            each.accept(i, t);
            try {
                Files.createDirectories(t.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            instances.add(new PharosInstance(t, dir, jvmOptions));
        }
    }

    /** The round-robin name (TTL 5) of the zone every {@link #ofThreeNameServers} serves. */
    public static final RecordKey CDN = new RecordKey("cdn.example.test", "A");

    /** The hold-down of {@link #ofThreeNameServers}. */
    public static final Duration NAME_SERVER_HOLD_DOWN = Duration.ofSeconds(1);

    /** The timings of {@link #ofThreeNameServers}: the defaults, rise 2, three warm-up rounds. */
    public static final Timings NAME_SERVER_TIMINGS =
            Timings.DEFAULTS.withRise(2).withWarmupRounds(3);

    /**
     * Three instances watching the given regions, each vantage point i also its own embedded name
     * server for example.test ({@link #CDN} round-robin over the regions) on {@link #address}(i)
     * and a free port ({@link #nameServer}), taking admin requests with {@code adminToken};
     * hold-down {@link #NAME_SERVER_HOLD_DOWN}, at most three regions removed, {@link
     * #NAME_SERVER_TIMINGS}; small JVMs (128 MB heap, serial GC, C1 only). Not started.
     */
    public static Cluster ofThreeNameServers(
            TestTopology regions, Path dir, String peerToken, String adminToken) {
        TestTopology shared =
                regions.copy()
                        .timings(NAME_SERVER_TIMINGS)
                        .roundRobin(CDN.name(), 5)
                        .policy("hold-down", NAME_SERVER_HOLD_DOWN.toSeconds() + "s")
                        .policy("max-removals", 3)
                        .zone("example.test");
        int[] ports = new int[4];
        for (int i = 1; i <= 3; i++) {
            ports[i] = Ports.freeUdpAndTcp(address(i));
        }
        Cluster cluster =
                new Cluster(
                        3,
                        shared,
                        true,
                        dir,
                        peerToken,
                        List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                        (i, t) ->
                                t.embeddedDns(address(i), ports[i])
                                        .env("PHAROS_API_ADMIN_TOKEN", adminToken));
        cluster.nameServerPorts = ports;
        return cluster;
    }

    /** Vantage point i's embedded name server (a cluster {@link #ofThreeNameServers}). */
    public InetSocketAddress nameServer(int i) {
        return new InetSocketAddress(address(i), nameServerPorts[i]);
    }

    /**
     * Whether every name server answers {@link #CDN} with the addresses of {@code lbs} but those
     * left out, and only those.
     */
    public boolean allServe(List<LoopbackHttpServer> lbs, Set<String> without) {
        Set<String> want = new TreeSet<>();
        for (LoopbackHttpServer s : lbs) {
            if (!without.contains(s.address())) {
                want.add(s.address());
            }
        }
        for (int i = 1; i < nameServerPorts.length; i++) {
            if (!want.equals(NameServerWatch.ask(i, nameServer(i), CDN).values())) {
                return false;
            }
        }
        return true;
    }

    /** n random bytes in hex: a token no other run uses. */
    public static String hex(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The peer token vantage point i presents (its PHAROS_API_PEER_TOKEN), counted from 1. */
    public String token(int i) {
        return peerToken + "-vp" + (offset + i);
    }

    public static String address(int i) {
        return "127.0.9." + i;
    }

    public List<PharosInstance> instances() {
        return instances;
    }

    /** Vantage point i, counted from 1. */
    public PharosInstance vp(int i) {
        return instances.get(i - 1);
    }

    public void startAll() {
        instances.forEach(PharosInstance::start);
    }

    public boolean allLive() {
        return instances.stream().allMatch(PharosInstance::live);
    }

    public void awaitLive(Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(this::allLive);
    }

    /**
     * Waits for the condition, asking every 50 ms (an exception counts as not yet); if it does not
     * hold within the time, fails naming it with the last 40 lines of every log.
     */
    public void awaitOrDump(Duration within, String what, Callable<Boolean> condition) {
        try {
            Awaitility.await(what)
                    .atMost(within)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + "\n" + logTails(40), e);
        }
    }

    /** The last lines of every log, for a failure message. */
    public String logTails(int lines) {
        StringBuilder out = new StringBuilder();
        for (PharosInstance p : instances) {
            List<String> all = List.of(p.logText().split("\n"));
            out.append("---- ").append(p.name()).append(" (").append(p.log()).append(")\n");
            all.subList(Math.max(0, all.size() - lines), all.size())
                    .forEach(l -> out.append(l).append('\n'));
        }
        return out.toString();
    }

    @Override
    public void close() {
        instances.forEach(PharosInstance::kill);
    }
}
