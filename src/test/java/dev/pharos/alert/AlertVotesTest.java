package dev.pharos.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How long an inbound alert counts as a vote, on a manual clock. */
class AlertVotesTest {
    private final MutableClock clock = MutableClock.atEpoch();
    private final AlertVotes votes = new AlertVotes(true, Duration.ofMinutes(15), clock);
    private static final Set<String> LB = Set.of("europe/lb/ipv4");

    private InboundAlert alert(
            boolean firing, Optional<Instant> endsAt, Map<String, String> extra) {
        Map<String, String> labels = new HashMap<>(Map.of("alertname", "LbDown"));
        labels.putAll(extra);
        return new InboundAlert(firing, labels, Map.of(), clock.instant(), endsAt, "fp1");
    }

    private Set<String> down() {
        return votes.down(clock.instant());
    }

    @Test
    void aFiringAlertVotesUntilItResolves() {
        assertThat(votes.record(alert(true, Optional.empty(), Map.of()), LB)).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(down()).isEqualTo(LB);
        assertThat(votes.record(alert(false, Optional.of(clock.instant()), Map.of()), LB)).isTrue();
        assertThat(down()).isEmpty();
    }

    @Test
    void itsEndsAtEndsTheVote() {
        votes.record(alert(true, Optional.of(clock.instant().plusSeconds(120)), Map.of()), LB);
        clock.advance(Duration.ofSeconds(119));
        assertThat(down()).isEqualTo(LB);
        clock.advance(Duration.ofSeconds(1));
        assertThat(down()).isEmpty();
    }

    @Test
    void withoutEndsAtItCountsForVoteTtlAfterItWasLastReceived() {
        votes.record(alert(true, Optional.empty(), Map.of()), LB);
        clock.advance(Duration.ofMinutes(10));
        votes.record(alert(true, Optional.empty(), Map.of()), LB);
        clock.advance(Duration.ofMinutes(14));
        assertThat(down()).as("renewed by the repeat").isEqualTo(LB);
        clock.advance(Duration.ofMinutes(1));
        assertThat(down()).isEmpty();
    }

    @Test
    void anEndsAtFurtherThanVoteTtlIsCappedAndOneAlreadyPastNeverVotes() {
        votes.record(
                alert(true, Optional.of(clock.instant().plus(Duration.ofDays(1))), Map.of()), LB);
        clock.advance(Duration.ofMinutes(15));
        assertThat(down()).isEmpty();
        assertThat(
                        votes.record(
                                alert(true, Optional.of(clock.instant().minusSeconds(1)), Map.of()),
                                LB))
                .isFalse();
        assertThat(down()).isEmpty();
    }

    @Test
    void pharosOwnAlertsAndAlertsWithoutTargetsNeverVote() {
        assertThat(votes.record(alert(true, Optional.empty(), Map.of("pharos_vote", "false")), LB))
                .isFalse();
        assertThat(votes.record(alert(true, Optional.empty(), Map.of()), Set.of())).isFalse();
        assertThat(down()).isEmpty();
    }

    @Test
    void nothingVotesWhenCountAsVoteIsOff() {
        AlertVotes off = new AlertVotes(false, Duration.ofMinutes(15), clock);
        assertThat(off.record(alert(true, Optional.empty(), Map.of()), LB)).isFalse();
        assertThat(off.down(clock.instant())).isEmpty();
    }
}
