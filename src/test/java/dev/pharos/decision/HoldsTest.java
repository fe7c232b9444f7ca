package dev.pharos.decision;

import static dev.pharos.decision.Fixtures.statuses;
import static dev.pharos.decision.RegionState.DEAD;
import static dev.pharos.decision.RegionState.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pharos.config.Topology;
import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every entry of the decision memory that holds an answer back is shown with its reason and expiry:
 * hold-down, a removed region, the blast-radius window, a confirmation.
 */
class HoldsTest {
    private final MutableClock clock = MutableClock.atEpoch();

    @Test
    void eachMemoryEntryThatHoldsAnAnswerBackIsShownWithItsExpiry() {
        Topology t =
                Fixtures.regions(3)
                        .policy("hold-down", "60s")
                        .policy("removal-window", "10m")
                        .topology();
        Instant t0 = clock.instant();
        Decider.Result r =
                Decider.decide(t, statuses(t0, DEAD, DEAD, HEALTHY), DecisionMemory.empty(), t0);
        List<Hold> holds = Holds.of(t, r.memory(), statuses(t0, DEAD, DEAD, HEALTHY), t0);
        assertThat(holds)
                .filteredOn(h -> h.kind() == Hold.Kind.REMOVED)
                .extracting(Hold::region, Hold::family, Hold::until)
                .containsExactly(tuple("r1", "ipv4", null), tuple("r2", "ipv4", null));
        assertThat(holds)
                .filteredOn(h -> h.kind() == Hold.Kind.BLAST_RADIUS_WINDOW)
                .extracting(Hold::region, Hold::until)
                .containsExactly(
                        tuple("r1", t0.plus(Duration.ofMinutes(10))),
                        tuple("r2", t0.plus(Duration.ofMinutes(10))));

        clock.advance(Duration.ofSeconds(20));
        Instant t1 = clock.instant();
        DecisionMemory confirmed =
                new DecisionMemory(
                        r.memory().membership(), r.memory().removals(), Map.of("r3", t1));
        Decider.Result back =
                Decider.decide(t, statuses(t1, HEALTHY, DEAD, HEALTHY), confirmed, t1);
        holds = Holds.of(t, back.memory(), statuses(t1, HEALTHY, DEAD, HEALTHY), t1);
        assertThat(holds)
                .filteredOn(h -> h.kind() == Hold.Kind.HOLD_DOWN)
                .singleElement()
                .satisfies(
                        h -> {
                            assertThat(h.region()).isEqualTo("r1");
                            assertThat(h.since()).isEqualTo(t1);
                            assertThat(h.until()).isEqualTo(t1.plus(Duration.ofSeconds(60)));
                            assertThat(h.reason()).contains("re-enters DNS at");
                        });
        assertThat(holds)
                .filteredOn(h -> h.kind() == Hold.Kind.CONFIRMATION)
                .singleElement()
                .satisfies(h -> assertThat(h.until()).isEqualTo(t1.plus(Duration.ofMinutes(10))));

        // back in DNS: r1 no longer holds anything back, nor spends the blast-radius budget
        clock.advance(Duration.ofSeconds(61));
        Instant t2 = clock.instant();
        Decider.Result in =
                Decider.decide(t, statuses(t2, HEALTHY, DEAD, HEALTHY), back.memory(), t2);
        holds = Holds.of(t, in.memory(), statuses(t2, HEALTHY, DEAD, HEALTHY), t2);
        assertThat(holds).extracting(Hold::region).doesNotContain("r1");
        assertThat(holds)
                .filteredOn(h -> h.kind() == Hold.Kind.BLAST_RADIUS_WINDOW)
                .extracting(Hold::region)
                .containsExactly("r2");
    }
}
