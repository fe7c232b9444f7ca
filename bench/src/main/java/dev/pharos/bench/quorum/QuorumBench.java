package dev.pharos.bench.quorum;

import dev.pharos.testing.Timings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The quorum benchmark (bench/quorum/run.sh; CI does not run it): time from a region's death to the
 * verdict on every instance, over many trials, for a refused connection and for a server that hangs
 * (SIGSTOP); and what the peer exchange costs with 3 and with 7 instances. Writes the table to OUT.
 *
 * <p>Usage: {@code QuorumBench TRIALS OVERHEAD_SECONDS OUT}, with the Pharos jar given by {@code
 * -Dpharos.jar} (default target/quarkus-app/quarkus-run.jar).
 */
public final class QuorumBench {
    static final String TOKEN = "bench-peer-token-not-a-secret";
    static final List<String> JVM =
            List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final int trials;
    private final int overheadSeconds;
    private final Path out;

    private QuorumBench(int trials, int overheadSeconds, Path out) {
        this.trials = trials;
        this.overheadSeconds = overheadSeconds;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: QuorumBench TRIALS OVERHEAD_SECONDS OUT");
            System.exit(2);
        }
        new QuorumBench(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Path.of(args[2]))
                .measure();
        System.exit(0);
    }

    private void measure() throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        Instant started = Instant.now();
        Timings settings = Timings.DEFAULTS.withRise(2);
        List<Long> refused;
        List<Long> hang;
        List<Long> refusedFirst = new ArrayList<>();
        List<Long> hangFirst = new ArrayList<>();
        try (DeathToVerdict bench = new DeathToVerdict(settings)) {
            refused = bench.trials(false, trials, refusedFirst);
            hang = bench.trials(true, trials, hangFirst);
        }
        // the hang case is bounded by interval + fall x probe timeout: show the trade-off
        Timings shorter = settings.withTimeout(Duration.ofMillis(500));
        List<Long> hangShort;
        List<Long> hangShortFirst = new ArrayList<>();
        try (DeathToVerdict bench = new DeathToVerdict(shorter)) {
            hangShort = bench.trials(true, trials, hangShortFirst);
        }
        List<ExchangeOverhead> overhead = new ArrayList<>();
        for (int n : new int[] {3, 7}) {
            overhead.add(ExchangeOverhead.measure(n, settings, true, overheadSeconds));
            overhead.add(ExchangeOverhead.measure(n, settings, false, overheadSeconds));
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();
        write(
                settings,
                refused,
                refusedFirst,
                hang,
                hangFirst,
                hangShort,
                hangShortFirst,
                overhead,
                loadBefore,
                loadAfter,
                Duration.between(started, Instant.now()));
    }

    private static String stats(List<Long> ms) {
        List<Long> s = new ArrayList<>(ms);
        s.sort(null);
        int n = s.size();
        double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
        long p90 = s.get((int) Math.ceil(0.9 * n) - 1);
        return String.format(
                Locale.ROOT,
                "%.2f s | %.2f s | %.2f s | %.2f s",
                median / 1000,
                p90 / 1000.0,
                s.get(n - 1) / 1000.0,
                s.get(0) / 1000.0);
    }

    private void write(
            Timings s,
            List<Long> refused,
            List<Long> refusedFirst,
            List<Long> hang,
            List<Long> hangFirst,
            List<Long> hangShort,
            List<Long> hangShortFirst,
            List<ExchangeOverhead> overhead,
            String loadBefore,
            String loadAfter,
            Duration took)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Quorum benchmark\n\n");
        md.append("Written by `bench/quorum/run.sh` (QuorumBench) on ")
                .append(LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS))
                .append(" in ")
                .append(took.toSeconds())
                .append(" s. Machine: ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores (")
                .append(cpuModel())
                .append("), load average before `")
                .append(loadBefore)
                .append("`, after `")
                .append(loadAfter)
                .append("`; Java ")
                .append(System.getProperty("java.version"))
                .append(". Other builds may have shared the CPU.\n\n");
        md.append("## Death to verdict on all instances\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "Three instances (127.0.9.1-3, one JVM each: %s), interval %d ms, fall %d,"
                                + " recheck %d ms, probe timeout %d ms (connect %d ms), exchange"
                                + " every %d ms, stale-after %d ms. The region's load balancer is"
                                + " a process of its own at 127.0.1.1. Time is from just before the"
                                + " fault to the latest `verdict.since` of the three instances"
                                + " (same clock); each trial starts from rest after a random wait"
                                + " of 1-2 s. %d trials each.%n%n",
                        String.join(" ", JVM),
                        s.interval().toMillis(),
                        s.fall(),
                        s.recheck().toMillis(),
                        s.timeout().toMillis(),
                        s.connectTimeout().toMillis(),
                        s.exchangeInterval().toMillis(),
                        s.staleAfter().toMillis(),
                        refused.size()));
        md.append("| fault | median | p90 | worst | best |\n|---|---|---|---|---|\n");
        md.append("| refused (process killed) | ").append(stats(refused)).append(" |\n");
        md.append("| hang (SIGSTOP) | ").append(stats(hang)).append(" |\n");
        md.append("| refused, first instance only | ").append(stats(refusedFirst)).append(" |\n");
        md.append("| hang, first instance only | ").append(stats(hangFirst)).append(" |\n");
        md.append("| hang, probe timeout 500 ms (connect 500 ms) | ")
                .append(stats(hangShort))
                .append(" |\n");
        md.append("| hang, probe timeout 500 ms, first instance only | ")
                .append(stats(hangShortFirst))
                .append(" |\n\n");
        md.append("Raw, ms (all instances): refused ")
                .append(refused)
                .append("; hang ")
                .append(hang)
                .append("; hang with 500 ms timeout ")
                .append(hangShort)
                .append("\n\n");
        md.append("## Peer-exchange overhead\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "Each instance probes three load balancers once a second; with peers it"
                                + " also pulls every peer once a second (nothing changes, so no"
                                + " pushes). Measured over %d s after %d s of warm-up. Requests/s"
                                + " counts pulls and pushes sent by all instances together (each"
                                + " is also one request served). CPU is user+system time of the"
                                + " Pharos processes.%n%n",
                        overheadSeconds,
                        ExchangeOverhead.WARMUP_SECONDS));
        md.append(
                "| instances | peers | requests/s (all) | CPU per instance | RSS per instance |\n"
                        + "|---|---|---|---|---|\n");
        for (ExchangeOverhead o : overhead) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %s | %.1f | %.2f %% | %d MiB |%n",
                            o.instances(),
                            o.peers() ? "yes" : "no (alone)",
                            o.requestsPerSecond(),
                            o.cpuPercentPerInstance(),
                            o.rssKbPerInstance() / 1024));
        }
        for (int i = 0; i < overhead.size(); i += 2) {
            ExchangeOverhead with = overhead.get(i);
            ExchangeOverhead without = overhead.get(i + 1);
            md.append(
                    String.format(
                            Locale.ROOT,
                            "%nWith %d instances the exchange costs %.2f %% of a core per instance"
                                    + " (%.1f requests/s sent and %.1f served per instance).",
                            with.instances(),
                            with.cpuPercentPerInstance() - without.cpuPercentPerInstance(),
                            with.requestsPerSecond() / with.instances(),
                            with.requestsPerSecond() / with.instances()));
        }
        md.append('\n');
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException ignored) {
            // unknown
        }
        return "unknown CPU";
    }
}
