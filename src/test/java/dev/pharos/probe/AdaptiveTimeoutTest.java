package dev.pharos.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.AdaptiveTimeoutSettings;
import dev.pharos.config.Target;
import dev.pharos.observation.Health;
import dev.pharos.observation.VoteMachine;
import dev.pharos.observation.VoteState;
import dev.pharos.testing.ManualTicker;
import dev.pharos.testing.TestTopology;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The per-target adaptive timeout: pure rules, then whole probe schedules in virtual time (a prober
 * whose target answers after a scripted latency, or never) voting with rise/fall.
 */
class AdaptiveTimeoutTest {
    private static final Duration CONFIGURED = Duration.ofMillis(700);
    private static final AdaptiveTimeoutSettings DEFAULTS =
            new AdaptiveTimeoutSettings(true, Duration.ofMillis(200), 4, 20);

    private static ProbeResult ok(long millis) {
        return ProbeResult.ok(
                "t",
                Instant.EPOCH,
                "ok",
                PhaseTimings.totalOnly(millis * 1000),
                Optional.empty(),
                Optional.empty());
    }

    private static ProbeResult failed(FailureReason reason, long millis) {
        return ProbeResult.failed(
                "t",
                Instant.EPOCH,
                reason,
                "x",
                PhaseTimings.totalOnly(millis * 1000),
                Optional.empty(),
                Optional.empty());
    }

    @Test
    void theConfiguredTimeoutUntilEnoughSuccessesAreKnown() {
        AdaptiveTimeout a = new AdaptiveTimeout(DEFAULTS);
        for (int i = 0; i < AdaptiveTimeout.MIN_SAMPLES - 1; i++) {
            a.record(ok(5), CONFIGURED, CONFIGURED);
            assertThat(a.timeout(CONFIGURED)).isEqualTo(CONFIGURED);
        }
        a.record(ok(5), CONFIGURED, CONFIGURED);
        assertThat(a.timeout(CONFIGURED)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void factorTimesTheSlowestRecentSuccessBetweenTheFloorAndTheConfiguredTimeout() {
        AdaptiveTimeout a = new AdaptiveTimeout(DEFAULTS);
        for (int i = 0; i < 10; i++) {
            a.record(ok(20), CONFIGURED, CONFIGURED);
        }
        a.record(ok(80), CONFIGURED, CONFIGURED);
        assertThat(a.timeout(CONFIGURED)).isEqualTo(Duration.ofMillis(320));
        a.record(ok(150), CONFIGURED, CONFIGURED);
        assertThat(a.timeout(CONFIGURED)).isEqualTo(Duration.ofMillis(600));
        a.record(ok(200), CONFIGURED, CONFIGURED);
        assertThat(a.timeout(CONFIGURED)).isEqualTo(CONFIGURED);
        // the slow ones leave the window of the last 20
        for (int i = 0; i < 20; i++) {
            a.record(ok(10), CONFIGURED, CONFIGURED);
        }
        assertThat(a.timeout(CONFIGURED)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void eachTimeoutInARowDoublesTheNextLimitAndASuccessResetsIt() {
        AdaptiveTimeout a = new AdaptiveTimeout(DEFAULTS);
        for (int i = 0; i < 10; i++) {
            a.record(ok(5), CONFIGURED, CONFIGURED);
        }
        Duration first = a.timeout(CONFIGURED);
        assertThat(first).isEqualTo(Duration.ofMillis(200));
        a.record(failed(FailureReason.TIMEOUT, 200), first, CONFIGURED);
        assertThat(a.timeout(CONFIGURED)).isEqualTo(Duration.ofMillis(400));
        // a refusal says nothing about latency
        a.record(failed(FailureReason.REFUSED, 1), Duration.ofMillis(400), CONFIGURED);
        assertThat(a.timeout(CONFIGURED)).isEqualTo(Duration.ofMillis(400));
        a.record(failed(FailureReason.TIMEOUT, 400), Duration.ofMillis(400), CONFIGURED);
        assertThat(a.timeout(CONFIGURED)).isEqualTo(CONFIGURED);
        a.record(ok(5), CONFIGURED, CONFIGURED);
        assertThat(a.timeout(CONFIGURED)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void offMeansTheConfiguredTimeout() {
        AdaptiveTimeout a = new AdaptiveTimeout(AdaptiveTimeoutSettings.OFF);
        for (int i = 0; i < 30; i++) {
            a.record(ok(5), CONFIGURED, CONFIGURED);
        }
        assertThat(a.timeout(CONFIGURED)).isEqualTo(CONFIGURED);
    }

    /** A target whose answer takes {@code latency(ms since start)} ms, or never (negative). */
    private static final class ScriptedTarget implements Prober {
        private final ManualTicker ticker;
        private final LongUnaryOperator latency;
        final List<Duration> timeouts = new ArrayList<>();

        ScriptedTarget(ManualTicker ticker, LongUnaryOperator latency) {
            this.ticker = ticker;
            this.latency = latency;
        }

        @Override
        public Future<ProbeResult> probe(Target target) {
            return probe(target, target.probe().timeout());
        }

        @Override
        public Future<ProbeResult> probe(Target target, Duration timeout) {
            timeouts.add(timeout);
            Promise<ProbeResult> p = Promise.promise();
            long answer = latency.applyAsLong(ticker.nowMillis());
            long limit = timeout.toMillis();
            if (answer >= 0 && answer < limit) {
                ticker.schedule(answer, () -> p.tryComplete(ok(answer)));
            } else {
                ticker.schedule(limit, () -> p.tryComplete(failed(FailureReason.TIMEOUT, limit)));
            }
            return p.future();
        }
    }

    /** Runs one target for {@code millis} of virtual time; the times its vote went DOWN. */
    private static List<Long> run(
            AdaptiveTimeoutSettings settings, LongUnaryOperator latency, long millis) {
        ManualTicker ticker = new ManualTicker();
        return run(settings, ticker, new ScriptedTarget(ticker, latency), millis, new long[1]);
    }

    /**
     * Runs one target probed by {@code prober} for {@code millis}; the times its vote went DOWN,
     * and in {@code inconclusive[0]} the probes the scheduler found inconclusive.
     */
    private static List<Long> run(
            AdaptiveTimeoutSettings settings,
            ManualTicker ticker,
            Prober prober,
            long millis,
            long[] inconclusive) {
        Target t =
                TestTopology.node("t")
                        .probe("interval", "1s")
                        .probe("timeout", "700ms")
                        .probe("recheck", "200ms")
                        .region("r", "127.0.1.1")
                        .topology()
                        .targets()
                        .get(0);
        List<Long> downs = new ArrayList<>();
        VoteState[] vote = {VoteState.initial(Instant.EPOCH)};
        ProbeScheduler s =
                new ProbeScheduler(
                        ticker,
                        prober,
                        (target, r, lag) -> {
                            Health before = vote[0].vote();
                            vote[0] = VoteMachine.next(vote[0], r.success(), 3, 2, Instant.EPOCH);
                            if (before != Health.DOWN && vote[0].vote() == Health.DOWN) {
                                downs.add(ticker.nowMillis());
                            }
                        },
                        new SplittableRandom(3),
                        settings);
        s.start(List.of(t));
        ticker.advanceMillis(millis);
        inconclusive[0] = s.inconclusive(t.id());
        s.stop();
        return downs;
    }

    @Test
    void aTargetThatHangsIsDownFasterThanTheConfiguredTimeoutAlone() {
        long hangAt = 60_000;
        LongUnaryOperator hangs = now -> now < hangAt ? 8 : -1;
        List<Long> adaptive = run(DEFAULTS, hangs, 70_000);
        List<Long> fixed = run(AdaptiveTimeoutSettings.OFF, hangs, 70_000);
        assertThat(adaptive).hasSize(1);
        assertThat(fixed).hasSize(1);
        // the first probe after the hang comes within an interval; then 200 ms + 400 ms
        assertThat(adaptive.get(0) - hangAt).isLessThanOrEqualTo(1000 + 600);
        // with only the configured timeout it takes two whole timeouts: 1.4 s after that probe
        assertThat(fixed.get(0) - adaptive.get(0)).isEqualTo(800);
    }

    @Test
    void aTargetWhoseLatencyJumpsModeratelyIsNeverDeclaredDown() {
        // 20 ms, then ten times slower (200 ms: at the floor), then 350 ms (17x), all alive
        LongUnaryOperator jumps = now -> now < 30_000 ? 20 : now < 60_000 ? 200 : 350;
        assertThat(run(DEFAULTS, jumps, 120_000)).isEmpty();
        // a far target: 120 ms (limit 480 ms), then 5x slower, near the configured timeout
        LongUnaryOperator far = now -> now < 30_000 ? 120 : 600;
        assertThat(run(DEFAULTS, far, 90_000)).isEmpty();
    }

    @Test
    void aTargetThatTurnsSlowerThanTheConfiguredTimeoutIsDownAsBefore() {
        LongUnaryOperator tooSlow = now -> now < 30_000 ? 20 : 900;
        assertThat(run(DEFAULTS, tooSlow, 40_000)).hasSize(1);
    }

    /**
     * A target that answers in 8 ms, except that from {@code from} ms on, every probe chosen by
     * {@code lost} (by its timeout) loses its answer; with {@code stallMillis > 0}, this process
     * freezes for that long right after such a probe starts (a CPU-starved vantage point: the
     * answer arrives, but the probe's timer fires before the answer is read).
     */
    private static final class LostAnswers implements Prober {
        private final ManualTicker ticker;
        private final long from;
        private final long stallMillis;
        private final java.util.function.Predicate<Duration> lost;

        LostAnswers(
                ManualTicker ticker,
                long from,
                long stallMillis,
                java.util.function.Predicate<Duration> lost) {
            this.ticker = ticker;
            this.from = from;
            this.stallMillis = stallMillis;
            this.lost = lost;
        }

        @Override
        public Future<ProbeResult> probe(Target target) {
            return probe(target, target.probe().timeout());
        }

        @Override
        public Future<ProbeResult> probe(Target target, Duration timeout) {
            Promise<ProbeResult> p = Promise.promise();
            long limit = timeout.toMillis();
            if (ticker.nowMillis() < from || !lost.test(timeout)) {
                ticker.schedule(8, () -> p.tryComplete(ok(8)));
                return p.future();
            }
            ticker.schedule(limit, () -> p.tryComplete(failed(FailureReason.TIMEOUT, limit)));
            if (stallMillis > 0) {
                ticker.stallMillis(stallMillis);
            }
            return p.future();
        }
    }

    private static final java.util.function.Predicate<Duration> SHORTENED =
            timeout -> timeout.compareTo(CONFIGURED) < 0;

    @Test
    void aTimeoutAtAShortenedLimitDuringALocalStallIsInconclusiveAndProbedAgainInFull() {
        // every shortened probe from 30 s on falls into a stall of 120 ms (over a quarter of its
        // 200 ms limit) and times out; the full-timeout probes after them are answered
        ManualTicker ticker = new ManualTicker();
        long[] inconclusive = new long[1];
        List<Long> downs =
                run(
                        DEFAULTS,
                        ticker,
                        new LostAnswers(ticker, 30_000, 120, SHORTENED),
                        60_000,
                        inconclusive);
        assertThat(downs).isEmpty();
        // about one per second from 30 s on: each stalled probe was caught
        assertThat(inconclusive[0]).isBetween(20L, 40L);
    }

    @Test
    void theSameTimeoutsWithoutAStallAreFailures() {
        // the control: the answers lost as above, but this process was never stalled: the target
        // stopped answering within the shortened limit, which is what the limit is for
        ManualTicker ticker = new ManualTicker();
        long[] inconclusive = new long[1];
        List<Long> downs =
                run(
                        DEFAULTS,
                        ticker,
                        new LostAnswers(ticker, 30_000, 0, SHORTENED),
                        60_000,
                        inconclusive);
        assertThat(downs).isNotEmpty();
        assertThat(downs.get(0)).isBetween(30_000L, 31_600L);
        assertThat(inconclusive[0]).isZero();
    }

    @Test
    void aShortStallIsNoExcuse() {
        // 30 ms of stall in a 200 ms limit leaves the target 170 ms to answer: conclusive
        ManualTicker ticker = new ManualTicker();
        long[] inconclusive = new long[1];
        List<Long> downs =
                run(
                        DEFAULTS,
                        ticker,
                        new LostAnswers(ticker, 30_000, 30, SHORTENED),
                        40_000,
                        inconclusive);
        assertThat(downs).isNotEmpty();
        assertThat(inconclusive[0]).isZero();
    }

    @Test
    void aTargetThatHangsDuringLocalStallsIsStillDownAtTheConfiguredTimeout() {
        // every probe from 30 s on is lost and stalls this process: the shortened ones are
        // inconclusive, the full ones count, so the vote falls as with the adaptive timeout off
        ManualTicker ticker = new ManualTicker();
        long[] inconclusive = new long[1];
        List<Long> downs =
                run(
                        DEFAULTS,
                        ticker,
                        new LostAnswers(ticker, 30_000, 120, timeout -> true),
                        40_000,
                        inconclusive);
        assertThat(downs).hasSize(1);
        // within an interval, then (200 + 700) twice
        assertThat(downs.get(0)).isBetween(30_000L, 30_000L + 1000 + 2 * 900 + 2 * 120);
        assertThat(inconclusive[0]).isPositive();
    }

    /**
     * Answers in 8 ms, except the first probe from {@code from} on, which answers after 150 ms;
     * with {@code stall}, this process is frozen for 120 ms of it (the latency is the stall's).
     */
    private static final class SlowOnce implements Prober {
        private final ManualTicker ticker;
        private final long from;
        private final boolean stall;
        private boolean done;
        final List<Duration> timeouts = new ArrayList<>();

        SlowOnce(ManualTicker ticker, long from, boolean stall) {
            this.ticker = ticker;
            this.from = from;
            this.stall = stall;
        }

        @Override
        public Future<ProbeResult> probe(Target target) {
            return probe(target, target.probe().timeout());
        }

        @Override
        public Future<ProbeResult> probe(Target target, Duration timeout) {
            timeouts.add(timeout);
            Promise<ProbeResult> p = Promise.promise();
            if (done || ticker.nowMillis() < from) {
                ticker.schedule(8, () -> p.tryComplete(ok(8)));
                return p.future();
            }
            done = true;
            ticker.schedule(150, () -> p.tryComplete(ok(150)));
            if (stall) {
                ticker.stallMillis(120);
            }
            return p.future();
        }
    }

    @Test
    void aSuccessMeasuredAcrossALocalStallDoesNotRaiseTheLimit() {
        ManualTicker ticker = new ManualTicker();
        SlowOnce stalled = new SlowOnce(ticker, 30_000, true);
        run(DEFAULTS, ticker, stalled, 40_000, new long[1]);
        List<Duration> after = stalled.timeouts.subList(35, stalled.timeouts.size());
        assertThat(after).isNotEmpty().allMatch(d -> d.equals(Duration.ofMillis(200)));

        // the control: the same 150 ms without a stall is the target's own latency, 4 x 150
        ManualTicker quiet = new ManualTicker();
        SlowOnce slow = new SlowOnce(quiet, 30_000, false);
        run(DEFAULTS, quiet, slow, 40_000, new long[1]);
        assertThat(slow.timeouts.subList(35, slow.timeouts.size()))
                .isNotEmpty()
                .allMatch(d -> d.equals(Duration.ofMillis(600)));
    }
}
