package dev.pharos.actuator.linode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** The request budget, on a fake clock. */
class RateBudgetTest {
    final MutableClock clock = MutableClock.atEpoch();

    @Test
    void theBurstIsAQuarterOfAMinuteAndThenTokensComeAtTheRate() {
        RateBudget b = RateBudget.perMinute(100, clock);
        for (int i = 0; i < 25; i++) {
            assertThat(b.tryTake()).isZero();
        }
        Duration wait = b.tryTake();
        assertThat(wait).isEqualTo(Duration.ofMillis(600));
        clock.advance(wait);
        assertThat(b.tryTake()).isZero();
        assertThat(b.tryTake()).isPositive();
    }

    @Test
    void aGreedyCallerNeverGetsMoreThanBurstPlusRateInAnySixtySeconds() {
        RateBudget b = RateBudget.perMinute(100, clock);
        Deque<Instant> granted = new ArrayDeque<>();
        int worst = 0;
        for (int step = 0; step < 10 * 60 * 10; step++) {
            while (b.tryTake().isZero()) {
                granted.addLast(clock.instant());
            }
            while (!granted.isEmpty()
                    && Duration.between(granted.peekFirst(), clock.instant()).toSeconds() >= 60) {
                granted.removeFirst();
            }
            worst = Math.max(worst, granted.size());
            clock.advance(Duration.ofMillis(100));
        }
        // 25 + 100, far under Linode's 200 paginated GETs and 400 commands a minute
        assertThat(worst).isLessThanOrEqualTo(125).isGreaterThan(100);
    }

    @Test
    void anIdleBudgetRefillsOnlyToItsBurst() {
        RateBudget b = new RateBudget(60, 5, clock);
        clock.advance(Duration.ofHours(1));
        assertThat(b.available()).isEqualTo(5.0);
    }
}
