package dev.pharos.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VoteMachineTest {

    /** Outcomes as a string ("+" success, "-" failure), expected votes after each. */
    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of("first success votes UP", 3, 2, "+", "U"),
                Arguments.of("one failure from UNKNOWN is not enough", 3, 2, "-", "?"),
                Arguments.of("fall failures from UNKNOWN vote DOWN", 3, 2, "--", "?D"),
                Arguments.of("fall consecutive failures turn UP to DOWN", 3, 2, "+--", "UUD"),
                Arguments.of(
                        "a single failure between successes changes nothing",
                        3,
                        2,
                        "+-+-+",
                        "UUUUU"),
                Arguments.of("rise successes needed to come back", 3, 2, "+--+++", "UUDDDU"),
                Arguments.of("a failure resets the rise streak", 3, 2, "+--++-+++", "UUDDDDDDU"),
                Arguments.of(
                        "flapping faster than fall never goes DOWN", 3, 2, "+-+-+-+-", "UUUUUUUU"),
                Arguments.of("fall 1 reacts to one failure", 1, 1, "+-+", "UDU"),
                Arguments.of("fall 3 needs three", 2, 3, "+---++", "UUUDDU"),
                Arguments.of("further failures keep DOWN", 3, 2, "+----", "UUDDD"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void votesFollowTheTransitionTable(
            String name, int rise, int fall, String outcomes, String expected) {
        MutableClock clock = MutableClock.atEpoch();
        VoteState s = VoteState.initial(clock.instant());
        List<String> got = new ArrayList<>();
        for (char c : outcomes.toCharArray()) {
            clock.advance(Duration.ofMillis(200));
            s = VoteMachine.next(s, c == '+', rise, fall, clock.instant());
            got.add(
                    switch (s.vote()) {
                        case UP -> "U";
                        case DOWN -> "D";
                        case UNKNOWN -> "?";
                    });
        }
        assertThat(String.join("", got)).isEqualTo(expected);
    }

    @Test
    void sinceIsTheTimeOfTheChangeNotOfTheLastResult() {
        MutableClock clock = MutableClock.atEpoch();
        VoteState s = VoteState.initial(clock.instant());
        clock.advance(Duration.ofSeconds(1));
        s = VoteMachine.next(s, true, 3, 2, clock.instant());
        var upAt = clock.instant();
        clock.advance(Duration.ofSeconds(1));
        s = VoteMachine.next(s, true, 3, 2, clock.instant());
        assertThat(s.since()).isEqualTo(upAt);
        assertThat(s.lastResultAt()).contains(clock.instant());
    }

    @Test
    void thresholdsBelowOneAreRejected() {
        VoteState s = VoteState.initial(MutableClock.atEpoch().instant());
        assertThatThrownBy(() -> VoteMachine.next(s, true, 0, 2, s.since()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
