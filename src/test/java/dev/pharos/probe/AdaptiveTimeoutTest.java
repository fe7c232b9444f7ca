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
                        new ScriptedTarget(ticker, latency),
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
}
