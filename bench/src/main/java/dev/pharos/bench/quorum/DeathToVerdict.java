package dev.pharos.bench.quorum;

import static org.awaitility.Awaitility.await;

import dev.pharos.it.Cluster;
import dev.pharos.it.PharosInstance;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Readiness;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Three instances watching europe, whose load balancer is a process of its own that the trials kill
 * (refused) or stop with SIGSTOP (hang); apac is a server in this JVM. Each trial measures the time
 * from the fault to the verdict DOWN on every instance.
 */
final class DeathToVerdict implements AutoCloseable {
    static final String EU = "europe/lb/ipv4";

    private final Cluster cluster;
    private final LoopbackHttpServer apac = new LoopbackHttpServer("127.0.2.1", "apac").start();
    private final int port = PharosInstance.freePort("127.0.1.1");
    private Process region;

    DeathToVerdict(Timings timings) throws Exception {
        startRegion();
        cluster =
                new Cluster(
                        3,
                        new TestTopology()
                                .timings(timings)
                                .region("europe", r -> r.ipv4("127.0.1.1", port))
                                .region("apac", apac),
                        true,
                        Files.createTempDirectory("pharos-bench-latency"),
                        QuorumBench.TOKEN,
                        QuorumBench.JVM);
        cluster.startAll();
        cluster.awaitLive(Duration.ofSeconds(120));
        awaitSteady();
    }

    private void startRegion() throws IOException {
        region =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
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
        await("europe's load balancer (RegionServerMain) on 127.0.1.1:" + port)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Readiness.acceptsTcp("127.0.1.1", port));
    }

    /** Every instance's own vote and verdict on europe UP: a trial starts from rest. */
    private void awaitSteady() {
        await("every instance's vote and verdict on europe UP")
                .atMost(Duration.ofSeconds(60))
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
            await("europe DOWN on every instance")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(
                            () ->
                                    cluster.instances().stream()
                                            .allMatch(p -> "DOWN".equals(p.verdict("europe", EU))));
            List<Instant> since =
                    cluster.instances().stream().map(p -> p.verdictSince("europe", EU)).toList();
            all.add(
                    Duration.between(died, since.stream().max(Comparator.naturalOrder()).get())
                            .toMillis());
            first.add(
                    Duration.between(died, since.stream().min(Comparator.naturalOrder()).get())
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

    private static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
        }
    }
}
