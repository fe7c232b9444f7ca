package dev.pharos.bench.failover;

import dev.pharos.it.Nft;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Runs trials: the faults, with a random phase against every system's probe schedule, and the waits
 * between them. Every trial owns a window of the querier's record, from a rest before the fault to
 * the rest after the revival; the next trial starts only when every running system serves the whole
 * round-robin set again and has not changed its answer for two seconds.
 */
final class Runner {
    private final Querier querier;
    private final Cdn cdn;
    private final PharosFleet fleet;
    private final PeerDns peers;
    private final BenchOptions options;
    private final Random random;
    private final BufferedWriter events;
    private final List<DnsSystem> running = new ArrayList<>();
    private final int full;
    private Nft nft;
    private double lastEnd = Double.NaN;

    Runner(
            Querier querier,
            Cdn cdn,
            PharosFleet fleet,
            PeerDns peers,
            BenchOptions options,
            Path work) {
        this.querier = querier;
        this.cdn = cdn;
        this.fleet = fleet;
        this.peers = peers;
        this.options = options;
        this.random = new Random(options.seed());
        this.full = querier.id(Set.of(Cdn.lb(1), Cdn.lb(2), Cdn.lb(3)));
        try {
            this.events = Files.newBufferedWriter(work.resolve("events.log"));
            // the processes' logs have wall-clock times: this line maps the run's clock onto them
            events.write(
                    String.format(
                            Locale.ROOT,
                            "# %.1f = %s (ms on this log's clock = wall-clock time, UTC)%n",
                            querier.now(),
                            java.time.Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void running(DnsSystem s) {
        running.add(s);
    }

    int full() {
        return full;
    }

    /** A region dies in one of three ways and comes back. */
    Trial regionDead(Scenario s, int index, List<DnsSystem> measured, Lane lane) {
        int region = 1;
        double start = restAndPhase(lane);
        double fault = querier.now();
        switch (s) {
            case LB_REFUSED -> cdn.killLb(region);
            case LB_HANG -> cdn.hangLb(region);
            case BACKENDS_DEAD -> cdn.killBackends(region);
            default -> throw new IllegalArgumentException(s.toString());
        }
        event(fault, s, index, "fault");
        Set<String> dead = Set.of(Cdn.lb(region));
        awaitAll(measured, without(dead), lane.detect, "drop " + dead);
        Sleep.ms(options.holdMs());
        double revive = querier.now();
        switch (s) {
            case LB_REFUSED -> cdn.startLb(region);
            case LB_HANG -> cdn.resumeLb(region);
            case BACKENDS_DEAD -> cdn.startBackends(region);
            default -> throw new IllegalArgumentException(s.toString());
        }
        event(revive, s, index, "revive");
        awaitAll(measured, a -> a == full, lane.recover, "re-add " + dead);
        double end = settle();
        return new Trial(s, index, start, fault, Double.NaN, revive, end, dead, ids(measured));
    }

    /**
     * A backend that fails for a second every four seconds, 30 % loss on one path, or one vantage
     * point of each Pharos set starved of CPU.
     */
    Trial steady(Scenario s, int index, List<DnsSystem> measured) {
        double start = restAndPhase(Lane.FAST);
        double fault = querier.now();
        event(fault, s, index, "fault");
        if (s == Scenario.BACKEND_FLAP) {
            for (int c = 0; c < options.flapCycles(); c++) {
                cdn.failBackend(1, 1);
                Sleep.ms(1000);
                cdn.healBackend(1, 1);
                Sleep.ms(3000);
            }
        } else if (s == Scenario.PACKET_LOSS) {
            nft().dropShare(lossSources(), Cdn.lb(1), Cdn.PORT, 3);
            try {
                Sleep.ms(options.lossSeconds() * 1000L);
            } finally {
                nft().clear();
            }
        } else if (s == Scenario.CPU_STARVED) {
            fleet.starveFirst(2, options.starveSeconds());
        } else {
            throw new IllegalArgumentException(s.toString());
        }
        double revive = querier.now();
        event(revive, s, index, "end of fault");
        awaitAll(measured, a -> a == full, Lane.FAST.recover, "serve all regions");
        double end = settle();
        return new Trial(s, index, start, fault, Double.NaN, revive, end, Set.of(), ids(measured));
    }

    /**
     * Where the loss applies: the first vantage point of each Pharos set (one of three: the others
     * see the region fine), and 127.0.0.1, the only point of view of PowerDNS and gdnsd (their
     * probes leave from it). The peers therefore suffer the loss on every check they make, Pharos
     * on a third of its probes: that asymmetry is the point of several vantage points.
     */
    static List<String> lossSources() {
        return List.of(
                PharosFleet.DEFAULTS.address(1),
                PharosFleet.TIMEOUT_1S.address(1),
                PharosFleet.BIND.address(1),
                "127.0.0.1");
    }

    Trial allDead(int index, List<DnsSystem> measured) {
        double start = restAndPhase(Lane.FAST);
        double fault = querier.now();
        for (int r : Cdn.REGIONS) {
            cdn.killLb(r);
        }
        event(fault, Scenario.ALL_DEAD, index, "fault");
        Sleep.ms(options.allDeadSeconds() * 1000L);
        double revive = querier.now();
        for (int r : Cdn.REGIONS) {
            cdn.startLb(r);
        }
        event(revive, Scenario.ALL_DEAD, index, "revive");
        // a system that failed open never changed its answer, but its state did: give the slowest
        // (gdnsd tuned: up_thresh 3 x interval 2 s, batched by 1 s) the time to come back from it
        Sleep.ms(8000);
        awaitAll(measured, a -> a == full, Lane.FAST.recover, "serve all regions");
        double end = settle();
        Set<String> dead = Set.of(Cdn.lb(1), Cdn.lb(2), Cdn.lb(3));
        return new Trial(
                Scenario.ALL_DEAD,
                index,
                start,
                fault,
                Double.NaN,
                revive,
                end,
                dead,
                ids(measured));
    }

    /** Region 1 dies; once every system dropped it, one server of each is restarted. */
    Trial restart(int index, List<DnsSystem> measured) {
        double start = restAndPhase(Lane.FAST);
        double fault = querier.now();
        cdn.killLb(1);
        event(fault, Scenario.RESTART, index, "fault");
        Set<String> dead = Set.of(Cdn.lb(1));
        awaitAll(measured, without(dead), Lane.FAST.detect, "drop " + dead);
        Sleep.ms(random.nextInt(1000));
        double restart = querier.now();
        event(restart, Scenario.RESTART, index, "restart");
        for (DnsSystem s : measured) {
            restartOne(s);
        }
        double restarted = querier.now(); // the old processes are gone: an answer is the new one's
        for (DnsSystem s : measured) {
            if (!querier.answersAfter(s.restarted(), restarted, Duration.ofSeconds(60))) {
                System.out.println(
                        "  note: " + s.restarted() + " does not answer 60 s after restart");
            }
        }
        for (PharosFleet.Set set :
                List.of(PharosFleet.DEFAULTS, PharosFleet.TIMEOUT_1S, PharosFleet.BIND)) {
            if (measured.stream().anyMatch(s -> s.id().equals(set.id()))) {
                fleet.awaitReady(set, restartedVp(set), Duration.ofSeconds(90));
            }
        }
        Sleep.ms(options.holdMs() + 1000);
        double revive = querier.now();
        cdn.startLb(1);
        event(revive, Scenario.RESTART, index, "revive");
        awaitAll(measured, a -> a == full, Lane.FAST.recover, "re-add " + dead);
        double end = settle();
        return new Trial(
                Scenario.RESTART, index, start, fault, restart, revive, end, dead, ids(measured));
    }

    static int restartedVp(PharosFleet.Set set) {
        // the actuator of the RFC 2136 set (what a restart could break there); elsewhere vp3
        return set == PharosFleet.BIND ? 1 : 3;
    }

    private void restartOne(DnsSystem s) {
        switch (s.id()) {
            case "pharos" -> fleet.restart(PharosFleet.DEFAULTS, restartedVp(PharosFleet.DEFAULTS));
            case "pharos-timeout1s" ->
                    fleet.restart(PharosFleet.TIMEOUT_1S, restartedVp(PharosFleet.TIMEOUT_1S));
            case "pharos-bind" -> fleet.restart(PharosFleet.BIND, restartedVp(PharosFleet.BIND));
            default -> peers.restart(s.id());
        }
    }

    /**
     * Rest, then a random wait so that faults fall at any phase of every probe schedule. A trial's
     * window starts where the previous one ended: no change between trials goes uncounted.
     */
    private double restAndPhase(Lane lane) {
        cdn.verifyOwnership();
        double start = Double.isNaN(lastEnd) ? querier.now() : lastEnd;
        int spread = Math.max(options.phaseSpreadMs(), lane.phaseSpreadMs);
        Sleep.ms(options.phaseMinMs() + random.nextInt(spread));
        return start;
    }

    /** Until every running system serves all regions and none has changed for 3 s. */
    double settleNow() {
        return settle();
    }

    private double settle() {
        awaitAll(running, a -> a == full, Duration.ofSeconds(60), "settle");
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            double now = querier.now();
            boolean calm = true;
            for (DnsSystem s : running) {
                for (String server : s.servers()) {
                    double last = querier.lastChange(server);
                    if (querier.latestReal(server) != full
                            || (!Double.isNaN(last) && now - last < 2000)) {
                        calm = false;
                    }
                }
            }
            if (calm) {
                break;
            }
            Sleep.ms(100);
        }
        lastEnd = querier.now();
        return lastEnd;
    }

    private IntPredicate without(Set<String> dead) {
        return a -> a > Querier.EMPTY && querier.addresses(a).stream().noneMatch(dead::contains);
    }

    private void awaitAll(List<DnsSystem> systems, IntPredicate ok, Duration within, String what) {
        long end = System.nanoTime() + within.toNanos();
        Set<String> waiting = new LinkedHashSet<>();
        systems.forEach(s -> waiting.addAll(s.servers()));
        while (!waiting.isEmpty() && System.nanoTime() < end) {
            waiting.removeIf(server -> ok.test(querier.latestReal(server)));
            if (!waiting.isEmpty()) {
                Sleep.ms(10);
            }
        }
        if (!waiting.isEmpty()) {
            System.out.println(
                    "  note: "
                            + String.join(", ", waiting)
                            + " did not "
                            + what
                            + " within "
                            + within.toSeconds()
                            + " s");
        }
    }

    private static List<String> ids(List<DnsSystem> systems) {
        return systems.stream().map(DnsSystem::id).toList();
    }

    private Nft nft() {
        if (nft == null) {
            nft = new Nft();
        }
        return nft;
    }

    private void event(double at, Scenario s, int index, String what) {
        try {
            events.write(String.format(Locale.ROOT, "%.1f %s #%d %s%n", at, s.id, index, what));
            events.flush();
        } catch (IOException ignored) {
            // the trial records carry the same times
        }
    }

    void close() {
        if (nft != null) {
            nft.close();
        }
        try {
            events.close();
        } catch (IOException ignored) {
            // nothing more to write
        }
    }

    /** How long the fast and the slow configurations get to detect and to recover. */
    enum Lane {
        FAST(Duration.ofSeconds(30), Duration.ofSeconds(45), 0),
        // gdnsd's default interval is 10 s: spread the fault over a whole cycle of it
        SLOW(Duration.ofSeconds(240), Duration.ofSeconds(420), 10_000);

        final Duration detect;
        final Duration recover;
        final int phaseSpreadMs;

        Lane(Duration detect, Duration recover, int phaseSpreadMs) {
            this.detect = detect;
            this.recover = recover;
            this.phaseSpreadMs = phaseSpreadMs;
        }
    }
}
