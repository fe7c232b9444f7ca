package dev.pharos.actuator.lb;

import static dev.pharos.actuator.lb.RelayTopologyResource.backends;

import dev.pharos.testing.LoopbackHttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Relay benchmark (bench/relay/run.sh): time from europe's backends dying to the first 200 served
 * through its relay (10 trials), and the extra latency of a relayed request on loopback. Off unless
 * -Drelaybench=true.
 */
@QuarkusTest
@QuarkusTestResource(value = RelayTopologyResource.class, restrictToAnnotatedClass = true)
@EnabledIfSystemProperty(named = "relaybench", matches = "true")
class RelayBenchTest {

    @Test
    void relayTimings() throws Exception {
        int trials = Integer.getInteger("relaybench.trials", 10);
        Path out = Path.of(System.getProperty("relaybench.out", "bench/results/relay.md"));
        waitUntil(() -> RelayFailoverTest.via("europe").startsWith("200 served by europe"));
        List<Long> toRelay = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            Thread.sleep(500 + (long) (Math.random() * 1000));
            long start = System.nanoTime();
            backends.get("europe").forEach(LoopbackHttpServer::stop);
            while (!RelayFailoverTest.via("europe").startsWith("200 served by apac")) {
                Thread.sleep(5);
            }
            toRelay.add((System.nanoTime() - start) / 1_000_000);
            double relayed = latency("europe", 300);
            backends.get("europe").forEach(LoopbackHttpServer::start);
            waitUntil(() -> RelayFailoverTest.via("europe").startsWith("200 served by europe"));
            if (t == 0) {
                double direct = latency("europe", 300);
                lat[0] = direct;
                lat[1] = relayed;
            }
        }
        Collections.sort(toRelay);
        Files.writeString(
                out,
                "# Relay timings\n\nCommand: `bench/relay/run.sh` ("
                        + trials
                        + " trials, "
                        + Instant.now()
                        + ", load average "
                        + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0]
                        + ").\n"
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
                                lat[0])
                        + String.format(
                                "| request through the load balancer and the relay to the far region (mean of 300) | %.2f ms |%n",
                                lat[1])
                        + String.format(
                                "| extra latency of a relayed request on loopback | %.2f ms |%n",
                                lat[1] - lat[0]));
    }

    private final double[] lat = new double[2];

    private static double latency(String region, int n) {
        long total = 0;
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            RelayFailoverTest.via(region);
            total += System.nanoTime() - s;
        }
        return total / 1e6 / n;
    }

    interface Cond {
        boolean ok() throws Exception;
    }

    private static void waitUntil(Cond c) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(20);
        }
    }
}
