package dev.pharos.it;

import static org.awaitility.Awaitility.await;

import dev.pharos.testing.TestTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

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

    public void awaitLive(Duration within) {
        await().atMost(within)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> instances.stream().allMatch(PharosInstance::live));
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
