package dev.pharos.bench;

import dev.pharos.config.Family;
import dev.pharos.config.IpLiterals;
import dev.pharos.config.ProbeSpec;
import dev.pharos.config.ProbeType;
import dev.pharos.config.StatusRanges;
import dev.pharos.config.Target;
import dev.pharos.config.TargetKind;
import dev.pharos.probe.ProbeScheduler;
import dev.pharos.probe.Probers;
import dev.pharos.probe.VertxTicker;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Probe-engine benchmark (bench/probe/run.sh drives it): N http targets on loopback, each probed
 * once a second through the real scheduler and probers, against a server in another process. Prints
 * one line of key=value results: probes/s completed, failures, scheduling lag p50/p99/max, CPU used
 * by this process (cores), and RSS.
 *
 * <p>Usage: ProbeThroughput N SECONDS ADDRESSES PORT (targets cycle over 127.0.100.1..ADDRESSES).
 */
public final class ProbeThroughput {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int addresses = Integer.parseInt(args[2]);
        int port = Integer.parseInt(args[3]);
        ProbeSpec spec =
                new ProbeSpec(
                        ProbeType.HTTP,
                        Duration.ofSeconds(1),
                        Duration.ofMillis(700),
                        Duration.ofMillis(500),
                        Duration.ofMillis(200),
                        3,
                        2,
                        "GET",
                        "/health",
                        "cdn.example.test",
                        Optional.empty(),
                        StatusRanges.SUCCESS_OR_REDIRECT,
                        Optional.empty(),
                        Optional.empty(),
                        true,
                        Optional.empty(),
                        false,
                        Optional.empty(),
                        Optional.empty());
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ip = "127.0.100." + (1 + i % addresses);
            targets.add(
                    new Target(
                            "bench/t" + i,
                            TargetKind.BACKEND,
                            Optional.of("bench"),
                            "t" + i,
                            Family.IPV4,
                            IpLiterals.parseV4(ip).orElseThrow(),
                            port,
                            spec));
        }
        // the transport Pharos runs on (quarkus.vertx.prefer-native-transport in application.yaml)
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        Probers probers = new Probers(vertx, Clock.systemUTC(), Optional.empty());
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicLong measuring = new AtomicLong(0);
        long[] lags = new long[4_000_000];
        AtomicLong lagCount = new AtomicLong();
        StringBuilder reasons = new StringBuilder();
        ProbeScheduler scheduler =
                new ProbeScheduler(
                        new VertxTicker(vertx),
                        probers,
                        (t, r, lag) -> {
                            if (measuring.get() == 0) {
                                return;
                            }
                            if (r.success()) {
                                ok.increment();
                            } else {
                                failed.increment();
                                if (failed.sum() < 5) {
                                    synchronized (reasons) {
                                        reasons.append(r.reason().get())
                                                .append(':')
                                                .append(r.detail())
                                                .append("; ");
                                    }
                                }
                            }
                            long i = lagCount.getAndIncrement();
                            if (i < lags.length) {
                                lags[(int) i] = lag;
                            }
                        },
                        new SplittableRandom(1));
        scheduler.start(targets);
        Thread.sleep(3000); // warm-up: JIT, connection setup, offsets spread
        var os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        measuring.set(1);
        Thread.sleep(seconds * 1000L);
        measuring.set(0);
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        scheduler.stop();
        int count = (int) Math.min(lagCount.get(), lags.length);
        long[] sorted = Arrays.copyOf(lags, count);
        Arrays.sort(sorted);
        double secs = wall / 1e9;
        String rss =
                Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .filter(l -> l.startsWith("VmRSS"))
                        .findFirst()
                        .orElse("VmRSS: ? kB")
                        .replaceAll("\\D+", " ")
                        .trim();
        System.out.printf(
                "targets=%d transport=%s probes_per_s=%.0f failures_per_s=%.1f lag_p50_ms=%.2f lag_p99_ms=%.2f"
                        + " lag_max_ms=%.2f cpu_cores=%.2f rss_mb=%d reasons=%s%n",
                n,
                vertx.isNativeTransportEnabled() ? "epoll" : "nio",
                ok.sum() / secs,
                failed.sum() / secs,
                pct(sorted, 0.50),
                pct(sorted, 0.99),
                count == 0 ? 0 : sorted[count - 1] / 1e6,
                cpu / (double) wall,
                Long.parseLong(rss) / 1024,
                reasons.length() == 0 ? "-" : reasons.toString().replace(' ', '_'));
        probers.close();
        vertx.close();
        System.exit(0);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
}
