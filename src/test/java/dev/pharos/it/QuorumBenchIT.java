package dev.pharos.it;

import static org.awaitility.Awaitility.await;

import dev.pharos.testing.LoopbackHttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The quorum benchmark (not a pass/fail test; CI does not run it): time from a region's death to
 * the verdict on every instance, over many trials, for a refused connection and for a server that
 * hangs (SIGSTOP); and what the peer exchange costs with 3 and with 7 instances. Writes
 * bench/results/quorum.md. Run with bench/quorum/run.sh.
 */
@EnabledIfSystemProperty(named = "pharos.bench", matches = "true")
class QuorumBenchIT {
    private static final String EU = "europe/lb/ipv4";
    private static final String TOKEN = "bench-peer-token-not-a-secret";
    private static final List<String> JVM =
            List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final int trials = Integer.getInteger("pharos.bench.trials", 20);
    private final int overheadSeconds = Integer.getInteger("pharos.bench.overhead-seconds", 30);
    private final Path out =
            Path.of(System.getProperty("pharos.bench.out", "bench/results/quorum.md"));

    @Test
    void measure() throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        Instant started = Instant.now();
        Cluster.Settings settings = Cluster.Settings.defaults().withRise(2);
        List<Long> refused;
        List<Long> hang;
        List<Long> refusedFirst = new ArrayList<>();
        List<Long> hangFirst = new ArrayList<>();
        try (Latency bench = new Latency(settings)) {
            refused = bench.trials(false, trials, refusedFirst);
            hang = bench.trials(true, trials, hangFirst);
        }
        // the hang case is bounded by interval + fall x probe timeout: show the trade-off
        Cluster.Settings shorter = settings.withTimeout(Duration.ofMillis(500));
        List<Long> hangShort;
        List<Long> hangShortFirst = new ArrayList<>();
        try (Latency bench = new Latency(shorter)) {
            hangShort = bench.trials(true, trials, hangShortFirst);
        }
        List<Overhead> overhead = new ArrayList<>();
        for (int n : new int[] {3, 7}) {
            overhead.add(overhead(n, settings, true));
            overhead.add(overhead(n, settings, false));
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

    /** Three instances watching europe, served by a process of its own that trials kill or stop. */
    private static final class Latency implements AutoCloseable {
        private final Cluster cluster;
        private final LoopbackHttpServer apac = new LoopbackHttpServer("127.0.2.1", "apac").start();
        private final int port = PharosInstance.freePort("127.0.1.1");
        private Process region;

        Latency(Cluster.Settings settings) throws Exception {
            startRegion();
            cluster =
                    new Cluster(
                            3,
                            settings,
                            List.of(
                                    new Cluster.Region(
                                            "europe",
                                            new Cluster.Endpoint(null, "127.0.1.1", port),
                                            List.of()),
                                    new Cluster.Region(
                                            "apac",
                                            new Cluster.Endpoint(null, apac.address(), apac.port()),
                                            List.of())),
                            Files.createTempDirectory("pharos-bench-latency"),
                            TOKEN,
                            JVM);
            cluster.startAll();
            cluster.awaitLive(Duration.ofSeconds(120));
            awaitSteady();
        }

        private void startRegion() throws IOException {
            region =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Xmx32m",
                                    "-XX:TieredStopAtLevel=1",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    RegionServerMain.class.getName(),
                                    "127.0.1.1",
                                    String.valueOf(port),
                                    "europe-lb")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> accepts("127.0.1.1", port));
        }

        /** Every instance's own vote and verdict on europe UP: a trial starts from rest. */
        private void awaitSteady() {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(
                            () ->
                                    cluster.instances().stream()
                                            .allMatch(
                                                    p ->
                                                            "UP".equals(p.verdict("europe", EU))
                                                                    && "UP"
                                                                            .equals(
                                                                                    p.ownVote(
                                                                                            "europe",
                                                                                            EU))));
        }

        /** Milliseconds from death to DOWN on the last instance, one entry per trial. */
        List<Long> trials(boolean hang, int n, List<Long> first) throws Exception {
            List<Long> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // a random phase against the probe schedules
                Thread.sleep(1000 + ThreadLocalRandom.current().nextInt(1000));
                Instant died = Instant.now();
                if (hang) {
                    signal("STOP", region.pid());
                } else {
                    region.destroyForcibly();
                    region.waitFor(10, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(50))
                        .ignoreExceptions()
                        .until(
                                () ->
                                        cluster.instances().stream()
                                                .allMatch(
                                                        p ->
                                                                "DOWN"
                                                                        .equals(
                                                                                p.verdict(
                                                                                        "europe",
                                                                                        EU))));
                List<Instant> since =
                        cluster.instances().stream()
                                .map(p -> p.verdictSince("europe", EU))
                                .toList();
                all.add(
                        Duration.between(
                                        died,
                                        since.stream().max(Comparator.naturalOrder()).orElseThrow())
                                .toMillis());
                first.add(
                        Duration.between(
                                        died,
                                        since.stream().min(Comparator.naturalOrder()).orElseThrow())
                                .toMillis());
                System.out.printf(
                        "%s trial %d: %d ms (first instance %d ms)%n",
                        hang ? "hang" : "refused", i + 1, all.get(i), first.get(i));
                if (hang) {
                    signal("CONT", region.pid());
                } else {
                    startRegion();
                }
                awaitSteady();
            }
            return all;
        }

        @Override
        public void close() {
            cluster.close();
            if (region != null) {
                try {
                    signal("CONT", region.pid());
                } catch (Exception ignored) {
                    // already gone
                }
                region.destroyForcibly();
            }
            apac.stop();
        }
    }

    private static boolean accepts(String address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
        }
    }

    /** What n instances cost over a window, with or without the peer exchange. */
    private record Overhead(
            int instances,
            boolean peers,
            double seconds,
            double requestsPerSecond,
            double cpuPercentPerInstance,
            long rssKbPerInstance) {}

    private Overhead overhead(int n, Cluster.Settings settings, boolean peers) throws Exception {
        List<LoopbackHttpServer> servers =
                List.of(
                        new LoopbackHttpServer("127.0.1.1", "europe").start(),
                        new LoopbackHttpServer("127.0.2.1", "apac").start(),
                        new LoopbackHttpServer("127.0.3.1", "americas").start());
        String[] names = {"europe", "apac", "americas"};
        List<Cluster.Region> regions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LoopbackHttpServer s = servers.get(i);
            regions.add(
                    new Cluster.Region(
                            names[i],
                            new Cluster.Endpoint(null, s.address(), s.port()),
                            List.of()));
        }
        try (Cluster cluster =
                new Cluster(
                        n,
                        peers ? settings : settings.alone(),
                        regions,
                        Files.createTempDirectory("pharos-bench-overhead"),
                        TOKEN,
                        JVM)) {
            cluster.startAll();
            cluster.awaitLive(Duration.ofSeconds(180));
            Thread.sleep(15_000); // past start-up and JIT warm-up
            double requests0 = requests(cluster);
            long cpu0 = cpuMillis(cluster);
            long t0 = System.nanoTime();
            Thread.sleep(overheadSeconds * 1000L);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long cpu = cpuMillis(cluster) - cpu0;
            double requests = requests(cluster) - requests0;
            long rss = 0;
            for (PharosInstance p : cluster.instances()) {
                rss += rssKb(p.pid());
            }
            Overhead o =
                    new Overhead(
                            n,
                            peers,
                            seconds,
                            requests / seconds,
                            100.0 * cpu / 1000.0 / seconds / n,
                            rss / n);
            System.out.println(o);
            return o;
        } finally {
            servers.forEach(LoopbackHttpServer::stop);
        }
    }

    private static final Pattern EXCHANGE =
            Pattern.compile(
                    "^pharos_peer_exchange_total\\{[^}]*\\} ([0-9.eE+]+)$", Pattern.MULTILINE);

    /** Pulls and pushes sent by every instance, all outcomes. */
    private static double requests(Cluster cluster) {
        double sum = 0;
        for (PharosInstance p : cluster.instances()) {
            Matcher m = EXCHANGE.matcher(p.metrics());
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
        }
        return sum;
    }

    private static long cpuMillis(Cluster cluster) {
        long sum = 0;
        for (PharosInstance p : cluster.instances()) {
            sum +=
                    ProcessHandle.of(p.pid())
                            .flatMap(h -> h.info().totalCpuDuration())
                            .map(Duration::toMillis)
                            .orElse(0L);
        }
        return sum;
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
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
            Cluster.Settings s,
            List<Long> refused,
            List<Long> refusedFirst,
            List<Long> hang,
            List<Long> hangFirst,
            List<Long> hangShort,
            List<Long> hangShortFirst,
            List<Overhead> overhead,
            String loadBefore,
            String loadAfter,
            Duration took)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Quorum benchmark\n\n");
        md.append("Written by `bench/quorum/run.sh` (QuorumBenchIT) on ")
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
                                + " pushes). Measured over %d s after 15 s of warm-up. Requests/s"
                                + " counts pulls and pushes sent by all instances together (each"
                                + " is also one request served). CPU is user+system time of the"
                                + " Pharos processes.%n%n",
                        overheadSeconds));
        md.append(
                "| instances | peers | requests/s (all) | CPU per instance | RSS per instance |\n"
                        + "|---|---|---|---|---|\n");
        for (Overhead o : overhead) {
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
            Overhead with = overhead.get(i);
            Overhead without = overhead.get(i + 1);
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
