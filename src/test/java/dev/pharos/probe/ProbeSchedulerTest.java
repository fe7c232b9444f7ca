package dev.pharos.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Target;
import dev.pharos.testing.ManualTicker;
import dev.pharos.testing.TestTopology;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProbeSchedulerTest {
    private final ManualTicker ticker = new ManualTicker();

    /** A prober whose probes finish when the test says so (or at once, with a set outcome). */
    private final class ScriptedProber implements Prober {
        final Map<String, List<Long>> starts = new HashMap<>();
        final Map<String, Promise<ProbeResult>> pending = new HashMap<>();
        final Map<String, Boolean> outcome = new HashMap<>();
        final Map<String, Boolean> manual = new HashMap<>();

        @Override
        public Future<ProbeResult> probe(Target target) {
            starts.computeIfAbsent(target.id(), k -> new ArrayList<>()).add(ticker.nowMillis());
            Promise<ProbeResult> p = Promise.promise();
            if (manual.getOrDefault(target.id(), false)) {
                pending.put(target.id(), p);
            } else {
                p.complete(result(target.id(), outcome.getOrDefault(target.id(), true)));
            }
            return p.future();
        }

        void finish(String id, boolean success) {
            pending.remove(id).complete(result(id, success));
        }
    }

    private static ProbeResult result(String id, boolean success) {
        return success
                ? ProbeResult.ok(
                        id,
                        Instant.EPOCH,
                        "ok",
                        PhaseTimings.totalOnly(1),
                        Optional.empty(),
                        Optional.empty())
                : ProbeResult.failed(
                        id,
                        Instant.EPOCH,
                        FailureReason.REFUSED,
                        "refused",
                        PhaseTimings.totalOnly(1),
                        Optional.empty(),
                        Optional.empty());
    }

    private static List<Target> targets(int n) {
        TestTopology t =
                TestTopology.node("t")
                        .probe("interval", "1s")
                        .probe("timeout", "700ms")
                        .probe("recheck", "200ms");
        for (int i = 1; i <= n; i++) {
            t.region("r" + i, "127.0." + i + ".1");
        }
        return t.topology().targets();
    }

    @Test
    void everyTargetStartsAtARandomOffsetWithinItsInterval() {
        ScriptedProber prober = new ScriptedProber();
        ProbeScheduler s =
                new ProbeScheduler(ticker, prober, (t, r, lag) -> {}, new SplittableRandom(7));
        List<Target> targets = targets(50);
        s.start(targets);
        ticker.advanceMillis(1000);
        List<Long> firsts = new ArrayList<>();
        for (Target t : targets) {
            assertThat(prober.starts.get(t.id())).as(t.id()).isNotEmpty();
            firsts.add(prober.starts.get(t.id()).get(0));
        }
        assertThat(firsts).allMatch(ms -> ms >= 0 && ms <= 1000);
        // spread out, not one burst
        assertThat(firsts.stream().distinct().count()).isGreaterThan(40);
    }

    @Test
    void healthyTargetIsProbedOncePerInterval() {
        ScriptedProber prober = new ScriptedProber();
        ProbeScheduler s =
                new ProbeScheduler(ticker, prober, (t, r, lag) -> {}, new SplittableRandom(1));
        Target t = targets(1).get(0);
        s.start(List.of(t));
        ticker.advanceMillis(10_999);
        List<Long> starts = prober.starts.get(t.id());
        assertThat(starts).hasSizeBetween(10, 11);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).isEqualTo(1000);
        }
    }

    @Test
    void failureIsRecheckedAfterTheRecheckDelay() {
        ScriptedProber prober = new ScriptedProber();
        ProbeScheduler s =
                new ProbeScheduler(ticker, prober, (t, r, lag) -> {}, new SplittableRandom(1));
        Target t = targets(1).get(0);
        prober.outcome.put(t.id(), false);
        s.start(List.of(t));
        ticker.advanceMillis(3000);
        List<Long> starts = prober.starts.get(t.id());
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).isEqualTo(200);
        }
        assertThat(starts.size()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void probesOfOneTargetNeverOverlapAndASlowTargetDelaysNoOther() {
        ScriptedProber prober = new ScriptedProber();
        List<Long> lags = new ArrayList<>();
        ProbeScheduler s =
                new ProbeScheduler(
                        ticker, prober, (t, r, lag) -> lags.add(lag), new SplittableRandom(3));
        List<Target> ts = targets(2);
        Target slow = ts.get(0);
        Target fast = ts.get(1);
        prober.manual.put(slow.id(), true);
        s.start(ts);
        ticker.advanceMillis(5000);
        // the slow probe never finished: exactly one started, no overlap
        assertThat(prober.starts.get(slow.id())).hasSize(1);
        assertThat(prober.starts.get(fast.id())).hasSizeGreaterThanOrEqualTo(5);
        long before = prober.starts.get(fast.id()).size();
        prober.finish(slow.id(), true);
        ticker.advanceMillis(1);
        // it starts again at once because its planned start has long passed
        assertThat(prober.starts.get(slow.id())).hasSize(2);
        assertThat(prober.starts.get(fast.id()).size()).isGreaterThanOrEqualTo((int) before);
        assertThat(lags).allMatch(l -> l < 2_000_000);
    }

    @Test
    void probeNowRunsAtOnceWhenIdleAndRightAfterTheProbeInFlight() {
        ScriptedProber prober = new ScriptedProber();
        ProbeScheduler s =
                new ProbeScheduler(ticker, prober, (t, r, lag) -> {}, new SplittableRandom(5));
        Target t = targets(1).get(0);
        s.start(List.of(t));
        ticker.advanceMillis(1000);
        int before = prober.starts.get(t.id()).size();
        assertThat(s.probeNow(t.id())).isTrue();
        ticker.advanceMillis(1);
        assertThat(prober.starts.get(t.id())).hasSize(before + 1);

        prober.manual.put(t.id(), true);
        // the next regular probe comes within interval + recheck of the extra one (its grid)
        ticker.advanceMillis(1200);
        int inFlight = prober.starts.get(t.id()).size();
        s.probeNow(t.id());
        ticker.advanceMillis(50);
        assertThat(prober.starts.get(t.id())).hasSize(inFlight);
        prober.manual.put(t.id(), false);
        prober.finish(t.id(), true);
        ticker.advanceMillis(1);
        assertThat(prober.starts.get(t.id())).hasSize(inFlight + 1);
    }

    @Test
    void aPeersReprobeProbesAHealthyTargetAtOnceOrRightAfterASuccessInFlight() {
        ScriptedProber prober = new ScriptedProber();
        ProbeScheduler s =
                new ProbeScheduler(ticker, prober, (t, r, lag) -> {}, new SplittableRandom(5));
        Target t = targets(1).get(0);
        s.start(List.of(t));
        ticker.advanceMillis(1000);
        int before = prober.starts.get(t.id()).size();
        assertThat(s.reprobe(t.id())).isEqualTo(ProbeScheduler.Reprobe.PROBING);
        ticker.advanceMillis(1);
        assertThat(prober.starts.get(t.id())).hasSize(before + 1);

        prober.manual.put(t.id(), true);
        // the next regular probe comes within interval + recheck of the extra one (its grid)
        ticker.advanceMillis(1200);
        int inFlight = prober.starts.get(t.id()).size();
        assertThat(s.reprobe(t.id())).isEqualTo(ProbeScheduler.Reprobe.PROBING);
        prober.manual.put(t.id(), false);
        prober.finish(t.id(), true);
        ticker.advanceMillis(1);
        assertThat(prober.starts.get(t.id())).hasSize(inFlight + 1);
        assertThat(s.reprobe("no/such/target")).isEqualTo(ProbeScheduler.Reprobe.UNKNOWN);
    }

    @Test
    void aPeersReprobeNeverHurriesTheRecheckOfAFailureSeenHere() {
        ScriptedProber prober = new ScriptedProber();
        ProbeScheduler s =
                new ProbeScheduler(ticker, prober, (t, r, lag) -> {}, new SplittableRandom(5));
        Target t = targets(1).get(0);
        s.start(List.of(t));
        ticker.advanceMillis(1000);
        // the probe in flight fails: the request does not make the re-check come sooner
        prober.manual.put(t.id(), true);
        List<Long> starts = prober.starts.get(t.id());
        int before = starts.size();
        while (starts.size() == before) {
            ticker.advanceMillis(1);
        }
        long failedAt = starts.get(starts.size() - 1);
        assertThat(s.reprobe(t.id())).isEqualTo(ProbeScheduler.Reprobe.PROBING);
        ticker.advanceMillis(10);
        prober.manual.put(t.id(), false);
        prober.outcome.put(t.id(), false);
        prober.finish(t.id(), false);
        ticker.advanceMillis(1);
        assertThat(starts.get(starts.size() - 1)).isEqualTo(failedAt);
        // idle after a failure: refused, the re-check stays where the failure planned it
        assertThat(s.reprobe(t.id())).isEqualTo(ProbeScheduler.Reprobe.RECHECKING);
        ticker.advanceMillis(150);
        assertThat(starts.get(starts.size() - 1)).isEqualTo(failedAt);
        ticker.advanceMillis(60);
        assertThat(starts.get(starts.size() - 1)).isEqualTo(failedAt + 200);
        // every probe fails: re-checks 200 ms apart, however often a peer asks
        for (int i = 0; i < 10; i++) {
            s.reprobe(t.id());
            ticker.advanceMillis(20);
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = starts.indexOf(failedAt) + 1; i < starts.size(); i++) {
            gaps.add(starts.get(i) - starts.get(i - 1));
        }
        assertThat(gaps).isNotEmpty().allMatch(g -> g >= 200);
    }

    @Test
    void extraProbesAndRechecksDoNotMoveTheGrid() {
        ScriptedProber prober = new ScriptedProber();
        ProbeScheduler s =
                new ProbeScheduler(ticker, prober, (t, r, lag) -> {}, new SplittableRandom(11));
        Target t = targets(1).get(0);
        s.start(List.of(t));
        ticker.advanceMillis(1000);
        List<Long> starts = prober.starts.get(t.id());
        long phase = starts.get(0) % 1000;
        // a peer's re-probe and an alert's, off the grid
        ticker.advanceMillis(1000 + (1000 - phase) % 1000 + 370);
        s.reprobe(t.id());
        ticker.advanceMillis(290);
        s.probeNow(t.id());
        ticker.advanceMillis(1500);
        // a failure sequence: re-checks 200 ms apart, then recovery
        prober.outcome.put(t.id(), false);
        ticker.advanceMillis(1100);
        prober.outcome.put(t.id(), true);
        ticker.advanceMillis(300);
        int recovered = starts.size();
        ticker.advanceMillis(5000);
        List<Long> after = starts.subList(recovered, starts.size());
        assertThat(after).hasSizeGreaterThanOrEqualTo(4);
        assertThat(after).allMatch(ms -> ms % 1000 == phase);
    }

    @Test
    void vantagePointsThatProbedTogetherKeepTheirOwnPhases() {
        // three vantage points; each failure here asks the others to re-probe at once, as the
        // cooperative re-probe does: during the fault they probe in step, after it they must not
        Target t = targets(1).get(0);
        List<ScriptedProber> probers = new ArrayList<>();
        List<ProbeScheduler> vps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ScriptedProber p = new ScriptedProber();
            probers.add(p);
            int self = i;
            vps.add(
                    new ProbeScheduler(
                            ticker,
                            p,
                            (target, r, lag) -> {
                                if (!r.success()) {
                                    for (int j = 0; j < 3; j++) {
                                        if (j != self) {
                                            vps.get(j).reprobe(target.id());
                                        }
                                    }
                                }
                            },
                            new SplittableRandom(100 + i)));
        }
        vps.forEach(v -> v.start(List.of(t)));
        ticker.advanceMillis(3000);
        List<Long> phases = new ArrayList<>();
        for (ScriptedProber p : probers) {
            phases.add(p.starts.get(t.id()).get(0) % 1000);
        }
        assertThat(phases).doesNotHaveDuplicates();
        // the target fails for 2 s (everyone probes in step), then recovers
        probers.forEach(p -> p.outcome.put(t.id(), false));
        ticker.advanceMillis(2000);
        probers.forEach(p -> p.outcome.put(t.id(), true));
        ticker.advanceMillis(1500);
        int[] from = new int[3];
        for (int i = 0; i < 3; i++) {
            from[i] = probers.get(i).starts.get(t.id()).size();
        }
        ticker.advanceMillis(5000);
        for (int i = 0; i < 3; i++) {
            List<Long> starts = probers.get(i).starts.get(t.id());
            long phase = phases.get(i);
            assertThat(starts.subList(from[i], starts.size()))
                    .as("vantage point %d", i + 1)
                    .hasSizeGreaterThanOrEqualTo(4)
                    .allMatch(ms -> ms % 1000 == phase);
        }
    }

    @Test
    void stopCancelsEveryChain() {
        ScriptedProber prober = new ScriptedProber();
        ProbeScheduler s =
                new ProbeScheduler(ticker, prober, (t, r, lag) -> {}, new SplittableRandom(5));
        List<Target> ts = targets(3);
        s.start(ts);
        ticker.advanceMillis(2000);
        int total = prober.starts.values().stream().mapToInt(List::size).sum();
        s.stop();
        ticker.advanceMillis(5000);
        assertThat(prober.starts.values().stream().mapToInt(List::size).sum()).isEqualTo(total);
    }
}
