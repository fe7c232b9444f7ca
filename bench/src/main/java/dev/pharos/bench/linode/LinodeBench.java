package dev.pharos.bench.linode;

import dev.pharos.actuator.linode.emulator.LinodeEmulator.Call;
import dev.pharos.actuator.linode.emulator.LinodeEmulator.EarlyRetry;
import dev.pharos.bench.ResultHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Linode benchmark (bench/linode/run.sh): Pharos against a Linode emulator under a tight per-token
 * rate limit, with one instance and with three on one token. First a quiet minute (the steady
 * cost); then, per trial, europe's backends die and come back (the requests a failover and a
 * recovery cost, and how long they take), and a 429 storm (every request answered 429 for STORM
 * seconds, Retry-After counting down to its end, europe's backends dying 5 s into it): the time
 * from the storm's end to the failover being applied, and requests sent before their Retry-After.
 * Writes the table to OUT.
 *
 * <p>Usage: {@code LinodeBench TRIALS STORM_SECONDS LIMIT WINDOW_SECONDS OUT}, with the Pharos jar
 * given by {@code -Dpharos.jar}.
 */
public final class LinodeBench {
    private static final Duration CONVERGE_WITHIN = Duration.ofMinutes(3);
    private static final Duration IDLE = Duration.ofMinutes(1);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    // a request that arrives this soon after its token's 429 was on its way before the 429 came
    private static final Duration IN_FLIGHT = Duration.ofMillis(100);

    private LinodeBench() {}

    /** One scenario of one trial, measured from the emulator's own record of the traffic. */
    record Run(
            String scenario,
            int instances,
            long millis,
            int requests,
            int writes,
            int relayReads,
            int rateLimited,
            int early,
            int earlyInFlight) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: LinodeBench TRIALS STORM_SECONDS LIMIT WINDOW_SECONDS OUT");
            System.exit(2);
        }
        int trials = Integer.parseInt(args[0]);
        int storm = Integer.parseInt(args[1]);
        int limit = Integer.parseInt(args[2]);
        Duration window = Duration.ofSeconds(Integer.parseInt(args[3]));
        Path out = Path.of(args[4]);
        List<Run> runs = new ArrayList<>();
        for (int instances : new int[] {1, 3}) {
            try (LinodeScene scene = new LinodeScene(limit, window, instances)) {
                awaitState(scene, false, "the start");
                runs.add(idle(scene, instances));
                for (int t = 0; t < trials; t++) {
                    runs.add(failover(scene, instances, true, "failover"));
                    runs.add(failover(scene, instances, false, "recovery"));
                    runs.add(storm(scene, instances, storm));
                    runs.add(failover(scene, instances, false, "recovery after the storm"));
                }
                if (!scene.emulator.violations().isEmpty()) {
                    throw new IllegalStateException(
                            "outside Linode's API description: " + scene.emulator.violations());
                }
                if (!scene.emulator.duplicates().isEmpty()) {
                    throw new IllegalStateException(
                            "duplicate rows: " + scene.emulator.duplicates());
                }
            }
        }
        String table =
                LinodeReport.table(
                        runs,
                        ResultHeader.command("bench/linode/run.sh", trials),
                        storm,
                        limit,
                        window);
        Files.writeString(out, table);
        System.out.println(table);
        System.exit(0);
    }

    /**
     * Nothing happens for a minute (after the start has settled): the requests of the resyncs and
     * NodeBalancer polls.
     */
    private static Run idle(LinodeScene scene, int instances) throws Exception {
        Thread.sleep(SETTLE.toMillis());
        int from = scene.emulator.calls().size();
        int earlyFrom = scene.emulator.earlyRetries().size();
        Thread.sleep(IDLE.toMillis());
        return measure(scene, "idle, one minute", instances, IDLE.toMillis(), from, earlyFrom);
    }

    /** europe's backends die ({@code out}) or come back; measured until Linode shows it. */
    private static Run failover(LinodeScene scene, int instances, boolean out, String scenario)
            throws Exception {
        Thread.sleep(1000 + (long) (Math.random() * 1000));
        int from = scene.emulator.calls().size();
        int earlyFrom = scene.emulator.earlyRetries().size();
        long start = System.nanoTime();
        if (out) {
            scene.killBackends("europe");
        } else {
            scene.startBackends("europe");
        }
        awaitState(scene, out, out ? "europe's failover" : "europe's return");
        long ms = (System.nanoTime() - start) / 1_000_000;
        return measure(scene, scenario, instances, ms, from, earlyFrom);
    }

    /**
     * A storm of 429s; europe's backends die 5 s into it. The time is from the storm's end to the
     * failover applied in Linode.
     */
    private static Run storm(LinodeScene scene, int instances, int seconds) throws Exception {
        Thread.sleep(1000 + (long) (Math.random() * 1000));
        int from = scene.emulator.calls().size();
        int earlyFrom = scene.emulator.earlyRetries().size();
        scene.emulator.storm(Duration.ofSeconds(seconds));
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        Thread.sleep(5000);
        scene.killBackends("europe");
        awaitState(scene, true, "europe's failover after the storm");
        long ms = Math.max(0, (System.nanoTime() - end) / 1_000_000);
        return measure(scene, "storm " + seconds + " s", instances, ms, from, earlyFrom);
    }

    private static Run measure(
            LinodeScene scene, String scenario, int instances, long ms, int from, int earlyFrom) {
        List<Call> calls = scene.emulator.calls();
        calls = calls.subList(from, calls.size());
        List<EarlyRetry> early = scene.emulator.earlyRetries();
        early = early.subList(earlyFrom, early.size());
        return new Run(
                scenario,
                instances,
                ms,
                calls.size(),
                (int) calls.stream().filter(c -> c.write() && c.status() != 429).count(),
                (int)
                        calls.stream()
                                .filter(c -> c.path().matches(".*/nodes/\\d+") && !c.write())
                                .count(),
                (int) calls.stream().filter(c -> c.status() == 429).count(),
                (int) early.stream().filter(e -> e.sinceTold().compareTo(IN_FLIGHT) > 0).count(),
                (int) early.stream().filter(e -> e.sinceTold().compareTo(IN_FLIGHT) <= 0).count());
    }

    private static void awaitState(LinodeScene scene, boolean out, String what) throws Exception {
        Instant end = Instant.now().plus(CONVERGE_WITHIN);
        while (!scene.failedOver(out)) {
            if (Instant.now().isAfter(end)) {
                throw new IllegalStateException(
                        what
                                + " not in Linode after "
                                + CONVERGE_WITHIN.toSeconds()
                                + " s: cdn "
                                + scene.rows("cdn")
                                + ", europe "
                                + scene.rows("europe")
                                + ", relay "
                                + scene.relayMode("europe")
                                + "; logs: "
                                + scene.instances.get(0).log());
            }
            Thread.sleep(10); // the measure's resolution
        }
    }
}
