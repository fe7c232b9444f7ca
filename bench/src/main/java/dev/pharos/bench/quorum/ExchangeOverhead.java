package dev.pharos.bench.quorum;

import dev.pharos.it.Cluster;
import dev.pharos.it.PharosInstance;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What n instances cost over a window, with or without the peer exchange: requests/s, CPU and RSS
 * per instance.
 */
record ExchangeOverhead(
        int instances,
        boolean peers,
        double seconds,
        double requestsPerSecond,
        double cpuPercentPerInstance,
        long rssKbPerInstance) {

    /** Seconds of start-up and JIT warm-up before the measured window. */
    static final int WARMUP_SECONDS = 15;

    static ExchangeOverhead measure(int n, Timings timings, boolean peers, int overheadSeconds)
            throws Exception {
        List<LoopbackHttpServer> servers =
                List.of(
                        new LoopbackHttpServer("127.0.1.1", "europe").start(),
                        new LoopbackHttpServer("127.0.2.1", "apac").start(),
                        new LoopbackHttpServer("127.0.3.1", "americas").start());
        TestTopology regions =
                new TestTopology()
                        .timings(timings)
                        .region("europe", servers.get(0))
                        .region("apac", servers.get(1))
                        .region("americas", servers.get(2));
        try (Cluster cluster =
                new Cluster(
                        n,
                        regions,
                        peers,
                        Files.createTempDirectory("pharos-bench-overhead"),
                        QuorumBench.TOKEN,
                        QuorumBench.JVM)) {
            cluster.startAll();
            cluster.awaitLive(Duration.ofSeconds(180));
            // Time to pass, not readiness (every instance is live): the window must not include
            // the JIT compiling the hot paths and the first exchange rounds.
            Thread.sleep(WARMUP_SECONDS * 1000L);
            double requests0 = requests(cluster);
            long cpu0 = cpuMillis(cluster);
            long t0 = System.nanoTime();
            Thread.sleep(overheadSeconds * 1000L); // the measured window
            double seconds = (System.nanoTime() - t0) / 1e9;
            long cpu = cpuMillis(cluster) - cpu0;
            double requests = requests(cluster) - requests0;
            long rss = 0;
            for (PharosInstance p : cluster.instances()) {
                rss += rssKb(p.pid());
            }
            ExchangeOverhead o =
                    new ExchangeOverhead(
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
}
