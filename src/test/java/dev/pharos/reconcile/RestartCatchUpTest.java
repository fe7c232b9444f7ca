package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.domain.RecordSet;
import dev.pharos.observation.PeerObservations.Deciding;
import dev.pharos.quorum.QuorumMetrics;
import dev.pharos.reconcile.RestartCatchUp.State;
import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Restart catch-up's states and its rule for choosing among peers, over an injected clock. */
class RestartCatchUpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<RecordSet> BOTH =
            List.of(RecordSet.of("cdn.example.test", "A", 60, List.of("192.0.2.1", "192.0.2.2")));
    private static final List<RecordSet> WITHOUT_2 =
            List.of(RecordSet.of("cdn.example.test", "A", 60, List.of("192.0.2.1")));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T06:00:00Z"));

    private RestartCatchUp started() {
        return new RestartCatchUp(true, clock.instant(), TIMEOUT);
    }

    @Test
    void silentUntilAPeerDecidesThenServesItsRecordsUntilItsOwnWarmUp() {
        RestartCatchUp c = started();
        assertThat(c.status().state()).isEqualTo(State.SILENT);
        clock.advance(Duration.ofMillis(300));
        assertThat(c.next(false, List.of(), clock.instant()).state()).isEqualTo(State.SILENT);
        assertThat(c.adopted()).isEmpty();

        clock.advance(Duration.ofMillis(100));
        RestartCatchUp.Status s =
                c.next(false, List.of(new Deciding("vp1", WITHOUT_2, 5_000)), clock.instant());
        assertThat(s.state()).isEqualTo(State.ADOPTED);
        assertThat(s.from()).containsExactly("vp1");
        assertThat(s.since()).isEqualTo(clock.instant());
        assertThat(c.adopted().orElseThrow().records()).isEqualTo(WITHOUT_2);

        // the peers lose quorum and stop deciding: what was taken stays, even past the timeout
        clock.advance(TIMEOUT);
        assertThat(c.next(false, List.of(), clock.instant()).state()).isEqualTo(State.ADOPTED);
        assertThat(c.adopted().orElseThrow().records()).isEqualTo(WITHOUT_2);

        clock.advance(Duration.ofSeconds(1));
        assertThat(c.next(true, List.of(new Deciding("vp1", BOTH, 0)), clock.instant()).state())
                .isEqualTo(State.OWN);
        // own decisions for good: peers no longer matter
        assertThat(c.next(false, List.of(new Deciding("vp1", BOTH, 0)), clock.instant()).state())
                .isEqualTo(State.OWN);
    }

    @Test
    void followsThePeersWhileWarmingUp() {
        RestartCatchUp c = started();
        c.next(false, List.of(new Deciding("vp1", BOTH, 60_000)), clock.instant());
        clock.advance(Duration.ofMillis(500));
        c.next(false, List.of(new Deciding("vp1", WITHOUT_2, 0)), clock.instant());
        assertThat(c.adopted().orElseThrow().records()).isEqualTo(WITHOUT_2);
        assertThat(c.status().since())
                .as("the same peers: the state did not begin again")
                .isEqualTo(clock.instant().minusMillis(500));
    }

    @Test
    void withoutADecidingPeerItStaysSilentUntilTheTimeoutThenServesTheRestoredState() {
        RestartCatchUp c = started();
        clock.advance(TIMEOUT.minusMillis(1));
        assertThat(c.next(false, List.of(), clock.instant()).state()).isEqualTo(State.SILENT);
        clock.advance(Duration.ofMillis(1));
        assertThat(c.next(false, List.of(), clock.instant()).state()).isEqualTo(State.TIMED_OUT);
        assertThat(c.adopted()).isEmpty();
        // a peer that decides later is still taken
        assertThat(
                        c.next(false, List.of(new Deciding("vp2", WITHOUT_2, 0)), clock.instant())
                                .state())
                .isEqualTo(State.ADOPTED);
    }

    @Test
    void ownWarmUpBeforeAnyPeerEndsTheSilence() {
        RestartCatchUp c = started();
        assertThat(c.next(true, List.of(), clock.instant()).state()).isEqualTo(State.OWN);
    }

    @Test
    void offStaysOff() {
        RestartCatchUp c = new RestartCatchUp(false, clock.instant(), TIMEOUT);
        clock.advance(TIMEOUT.multipliedBy(2));
        assertThat(c.next(false, List.of(new Deciding("vp1", BOTH, 0)), clock.instant()).state())
                .isEqualTo(State.OFF);
        assertThat(c.next(true, List.of(), clock.instant()).state()).isEqualTo(State.OFF);
    }

    @Test
    void theRecordsHeldByTheMostPeersWin() {
        var choice =
                RestartCatchUp.choose(
                                List.of(
                                        new Deciding("vp1", BOTH, 0),
                                        new Deciding("vp2", WITHOUT_2, 900),
                                        new Deciding("vp4", WITHOUT_2, 800)))
                        .orElseThrow();
        assertThat(choice.records()).isEqualTo(WITHOUT_2);
        assertThat(choice.from()).containsExactly("vp2", "vp4");
    }

    @Test
    void aTieGoesToTheMostRecentlyChangedRecordsThenToConfigurationOrder() {
        assertThat(
                        RestartCatchUp.choose(
                                        List.of(
                                                new Deciding("vp1", BOTH, 5_000),
                                                new Deciding("vp2", WITHOUT_2, 40)))
                                .orElseThrow()
                                .from())
                .containsExactly("vp2");
        assertThat(
                        RestartCatchUp.choose(
                                        List.of(
                                                new Deciding("vp1", BOTH, 40),
                                                new Deciding("vp2", WITHOUT_2, 40)))
                                .orElseThrow()
                                .from())
                .containsExactly("vp1");
        assertThat(RestartCatchUp.choose(List.of())).isEmpty();
    }

    @Test
    void theMetricLabelsAreTheStates() {
        assertThat(Stream.of(State.values()).map(State::label).toList())
                .isEqualTo(QuorumMetrics.CATCHUP_STATES);
    }
}
