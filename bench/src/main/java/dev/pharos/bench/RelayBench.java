package dev.pharos.bench;

import static dev.pharos.actuator.lb.RelayTopologyResource.backends;
import static dev.pharos.actuator.lb.RelayTopologyResource.via;

import dev.pharos.actuator.lb.RelayTopologyResource;
import dev.pharos.it.PharosInstance;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Readiness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Relay benchmark (bench/relay/run.sh): time from europe's backends dying to the first 200 served
 * through its relay, and the extra latency of a relayed request on loopback. The topology is the
 * one RelayFailoverTest checks (RelayTopologyResource: three regions, each a real HAProxy load
 * balancer with two backends and a relay HAProxy), driven by one Pharos process from the built jar.
 * Writes the table to OUT.
 *
 * <p>Usage: {@code RelayBench TRIALS OUT}, with the Pharos jar given by {@code -Dpharos.jar}
 * (default target/quarkus-app/quarkus-run.jar).
 */
public final class RelayBench {
    private static final String ADDRESS = "127.0.104.1";
    private static final Duration RELAYED_WITHIN = Duration.ofSeconds(30);

    private RelayBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: RelayBench TRIALS OUT");
            System.exit(2);
        }
        int trials = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        RelayTopologyResource resource = new RelayTopologyResource();
        try {
            resource.start();
            try (PharosInstance pharos =
                    new PharosInstance(
                            RelayTopologyResource.topology.http(ADDRESS),
                            Files.createTempDirectory("pharos-relay-bench"),
                            List.of("-Xmx256m"))) {
                pharos.start();
                Readiness.await(
                        "Pharos (" + pharos.log() + ") ready",
                        Duration.ofSeconds(60),
                        () -> pharos.status("/q/health/ready") == 200);
                Files.writeString(out, measure(trials));
                System.out.println(Files.readString(out));
            }
        } finally {
            resource.stop();
        }
        System.exit(0);
    }

    private static String measure(int trials) throws Exception {
        awaitServedByEurope();
        List<Long> toRelay = new ArrayList<>();
        double direct = 0;
        double relayed = 0;
        for (int t = 0; t < trials; t++) {
            // a random phase against the probe schedule
            Thread.sleep(500 + (long) (Math.random() * 1000));
            long start = System.nanoTime();
            backends.get("europe").forEach(LoopbackHttpServer::stop);
            while (!via("europe").startsWith("200 served by apac")) {
                if (System.nanoTime() - start > RELAYED_WITHIN.toNanos()) {
                    throw new IllegalStateException(
                            "europe is not relayed to apac "
                                    + RELAYED_WITHIN.toSeconds()
                                    + " s after its backends died: "
                                    + via("europe"));
                }
                Thread.sleep(5); // the measure's resolution
            }
            toRelay.add((System.nanoTime() - start) / 1_000_000);
            double relayedNow = latency("europe", 300);
            backends.get("europe").forEach(LoopbackHttpServer::start);
            awaitServedByEurope();
            if (t == 0) {
                direct = latency("europe", 300);
                relayed = relayedNow;
            }
        }
        Collections.sort(toRelay);
        return "# Relay timings\n\n"
                + ResultHeader.command("bench/relay/run.sh", trials)
                + "Three regions, each an HAProxy load balancer with two backends and a relay HAProxy; one Pharos"
                + " vantage point (probe interval 200 ms, fall 2, rise 2, recheck 50 ms; HAProxy checks every 200 ms).\n\n"
                + "| measure | value |\n| --- | ---: |\n"
                + "| backends die -> first relayed 200, median | "
                + toRelay.get(toRelay.size() / 2)
                + " ms |\n"
                + "| backends die -> first relayed 200, worst | "
                + toRelay.get(toRelay.size() - 1)
                + " ms |\n"
                + String.format(
                        "| request through the load balancer, direct (mean of 300) | %.2f ms |%n",
                        direct)
                + String.format(
                        "| request through the load balancer and the relay to the far region (mean of 300) | %.2f ms |%n",
                        relayed)
                + String.format(
                        "| extra latency of a relayed request on loopback | %.2f ms |%n",
                        relayed - direct);
    }

    private static void awaitServedByEurope() {
        Readiness.await(
                "europe's load balancer serving from europe's backends",
                Duration.ofSeconds(30),
                () -> via("europe").startsWith("200 served by europe"));
    }

    private static double latency(String region, int n) {
        long total = 0;
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            via(region);
            total += System.nanoTime() - s;
        }
        return total / 1e6 / n;
    }
}
