package dev.pharos.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * N Pharos instances as equal peers: vantage point i is {@code vp<i>} at 127.0.9.i, listening there
 * on a free port and sending its probes and peer requests from that address.
 */
public final class Cluster implements AutoCloseable {
    /** Timing settings shared by every instance. */
    public record Settings(
            Duration interval,
            Duration timeout,
            Duration connectTimeout,
            Duration recheck,
            int fall,
            int rise,
            Duration exchangeInterval,
            Duration exchangeTimeout,
            Duration staleAfter,
            int warmupRounds,
            boolean peers) {

        /** The design defaults: interval 1 s, fall 2, rise 3, recheck 200 ms, timeout 700 ms. */
        public static Settings defaults() {
            return new Settings(
                    Duration.ofSeconds(1),
                    Duration.ofMillis(700),
                    Duration.ofMillis(500),
                    Duration.ofMillis(200),
                    2,
                    3,
                    Duration.ofSeconds(1),
                    Duration.ofMillis(500),
                    Duration.ofSeconds(3),
                    2,
                    true);
        }

        public Settings withRise(int r) {
            return new Settings(
                    interval,
                    timeout,
                    connectTimeout,
                    recheck,
                    fall,
                    r,
                    exchangeInterval,
                    exchangeTimeout,
                    staleAfter,
                    warmupRounds,
                    peers);
        }

        public Settings withWarmupRounds(int w) {
            return new Settings(
                    interval,
                    timeout,
                    connectTimeout,
                    recheck,
                    fall,
                    rise,
                    exchangeInterval,
                    exchangeTimeout,
                    staleAfter,
                    w,
                    peers);
        }

        public Settings withTimeout(Duration t) {
            return new Settings(
                    interval,
                    t,
                    connectTimeout.compareTo(t) > 0 ? t : connectTimeout,
                    recheck,
                    fall,
                    rise,
                    exchangeInterval,
                    exchangeTimeout,
                    staleAfter,
                    warmupRounds,
                    peers);
        }

        /** Each instance alone, with no peers (to measure what the exchange costs). */
        public Settings alone() {
            return new Settings(
                    interval,
                    timeout,
                    connectTimeout,
                    recheck,
                    fall,
                    rise,
                    exchangeInterval,
                    exchangeTimeout,
                    staleAfter,
                    warmupRounds,
                    false);
        }
    }

    /** A region: its load balancer and backends. */
    public record Region(String name, Endpoint loadBalancer, List<Endpoint> backends) {}

    /** A probed address and port; {@code name} names a backend. */
    public record Endpoint(String name, String address, int port) {}

    private final List<PharosInstance> instances = new ArrayList<>();

    public Cluster(
            int n,
            Settings settings,
            List<Region> regions,
            Path dir,
            String peerToken,
            List<String> jvmOptions) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ports.add(PharosInstance.freePort(address(i)));
        }
        for (int i = 1; i <= n; i++) {
            Path config = dir.resolve("vp" + i + ".yaml");
            try {
                Files.createDirectories(dir.resolve("vp" + i));
                Files.writeString(config, yaml(i, n, ports, settings, regions, dir));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            instances.add(
                    new PharosInstance(
                            "vp" + i,
                            address(i),
                            ports.get(i - 1),
                            config,
                            dir.resolve("vp" + i + ".log"),
                            peerToken,
                            jvmOptions));
        }
    }

    public static String address(int i) {
        return "127.0.9." + i;
    }

    private static String yaml(
            int self, int n, List<Integer> ports, Settings s, List<Region> regions, Path dir) {
        StringBuilder y = new StringBuilder();
        y.append("quarkus:\n  http:\n");
        y.append("    host: ").append(address(self)).append('\n');
        y.append("    port: ").append(ports.get(self - 1)).append('\n');
        y.append("pharos:\n  node:\n");
        y.append("    name: vp").append(self).append('\n');
        y.append("    source-address: ").append(address(self)).append('\n');
        y.append("    data-dir: ").append(dir.resolve("vp" + self).toAbsolutePath()).append('\n');
        if (s.peers() && n > 1) {
            y.append("  peers:\n");
            for (int i = 1; i <= n; i++) {
                if (i != self) {
                    y.append("    - name: vp").append(i).append('\n');
                    y.append("      url: http://")
                            .append(address(i))
                            .append(':')
                            .append(ports.get(i - 1))
                            .append('\n');
                }
            }
        }
        y.append("  probe:\n");
        y.append("    interval: ").append(ms(s.interval())).append('\n');
        y.append("    timeout: ").append(ms(s.timeout())).append('\n');
        y.append("    connect-timeout: ").append(ms(s.connectTimeout())).append('\n');
        y.append("    recheck: ").append(ms(s.recheck())).append('\n');
        y.append("    fall: ").append(s.fall()).append('\n');
        y.append("    rise: ").append(s.rise()).append('\n');
        y.append("  quorum:\n");
        y.append("    exchange-interval: ").append(ms(s.exchangeInterval())).append('\n');
        y.append("    exchange-timeout: ").append(ms(s.exchangeTimeout())).append('\n');
        y.append("    stale-after: ").append(ms(s.staleAfter())).append('\n');
        y.append("    warmup-rounds: ").append(s.warmupRounds()).append('\n');
        y.append("  regions:\n");
        for (Region r : regions) {
            y.append("    ").append(r.name()).append(":\n");
            y.append("      load-balancer:\n");
            y.append("        ipv4: ").append(r.loadBalancer().address()).append('\n');
            y.append("        port: ").append(r.loadBalancer().port()).append('\n');
            if (!r.backends().isEmpty()) {
                y.append("      backends:\n");
                for (Endpoint b : r.backends()) {
                    y.append("        - name: ").append(b.name()).append('\n');
                    y.append("          address: ").append(b.address()).append('\n');
                    y.append("          port: ").append(b.port()).append('\n');
                }
            }
        }
        y.append("  dns:\n    provider: none\n");
        return y.toString();
    }

    private static String ms(Duration d) {
        return d.toMillis() + "ms";
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
