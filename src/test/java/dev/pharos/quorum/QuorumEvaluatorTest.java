package dev.pharos.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.domain.Voters;
import dev.pharos.observation.Health;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QuorumEvaluatorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * Voters as letters: U up, D down, ? unknown, s stale (any vote), a abstaining (any vote).
     * Previous verdict, quorum size, expected verdict.
     */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("all three see it down", "DDD", 2, Health.UP, Health.DOWN),
                Arguments.of(
                        "one of three partitioned from the region", "DUU", 2, Health.UP, Health.UP),
                Arguments.of("two of three see it down", "DDU", 2, Health.UP, Health.DOWN),
                Arguments.of(
                        "two of three partitioned from their peers: stale",
                        "Dss",
                        2,
                        Health.UP,
                        Health.UP),
                Arguments.of(
                        "two of three partitioned, previous DOWN kept",
                        "Uss",
                        2,
                        Health.DOWN,
                        Health.DOWN),
                Arguments.of(
                        "stale votes are not counted even if they say down",
                        "Uss",
                        2,
                        Health.UP,
                        Health.UP),
                Arguments.of(
                        "an abstaining vantage point cannot tip it",
                        "DaU",
                        2,
                        Health.UP,
                        Health.UP),
                Arguments.of("abstaining plus two down is down", "aDD", 2, Health.UP, Health.DOWN),
                Arguments.of(
                        "unknown votes do not count either way", "D??", 2, Health.UP, Health.UP),
                Arguments.of(
                        "no verdict yet stays unknown without quorum",
                        "U??",
                        2,
                        Health.UNKNOWN,
                        Health.UNKNOWN),
                Arguments.of("quorum up from unknown", "UU?", 2, Health.UNKNOWN, Health.UP),
                Arguments.of(
                        "tie with a quorum of one keeps the previous",
                        "UD",
                        1,
                        Health.UP,
                        Health.UP),
                Arguments.of(
                        "tie with a quorum of one keeps previous DOWN",
                        "UD",
                        1,
                        Health.DOWN,
                        Health.DOWN),
                Arguments.of(
                        "two vantage points: one down is not enough",
                        "DU",
                        2,
                        Health.UP,
                        Health.UP),
                Arguments.of("two vantage points: both down", "DD", 2, Health.UP, Health.DOWN),
                Arguments.of(
                        "two vantage points: one stale freezes", "Ds", 2, Health.UP, Health.UP),
                Arguments.of("five: two down is a minority", "DDUUU", 3, Health.UP, Health.UP),
                Arguments.of("five: three down is a majority", "DDDUU", 3, Health.UP, Health.DOWN),
                Arguments.of("five: three down, two stale", "DDDss", 3, Health.UP, Health.DOWN),
                Arguments.of(
                        "five: two down, three stale: no quorum", "DDsss", 3, Health.UP, Health.UP),
                Arguments.of("five: back up needs three", "UUDss", 3, Health.DOWN, Health.DOWN),
                Arguments.of("single vantage point decides alone", "D", 1, Health.UP, Health.DOWN),
                Arguments.of(
                        "three: the one cut off from its peers is stale, the other two decide",
                        "sDD",
                        2,
                        Health.UP,
                        Health.DOWN),
                Arguments.of("three: all stale keeps DOWN", "sss", 2, Health.DOWN, Health.DOWN),
                Arguments.of(
                        "three: all abstaining counts nothing", "aaa", 2, Health.UP, Health.UP),
                Arguments.of(
                        "three: DOWN from no verdict yet", "DD?", 2, Health.UNKNOWN, Health.DOWN),
                Arguments.of(
                        "two vantage points: one abstaining, one down",
                        "aD",
                        2,
                        Health.UP,
                        Health.UP),
                Arguments.of(
                        "two vantage points, quorum 1 configured: the fresh one decides",
                        "Ds",
                        1,
                        Health.UP,
                        Health.DOWN),
                Arguments.of(
                        "five, quorum 2 configured: a 2-2 tie keeps UP",
                        "DDUU?",
                        2,
                        Health.UP,
                        Health.UP),
                Arguments.of(
                        "five, quorum 2 configured: a 2-2 tie keeps DOWN",
                        "DDUU?",
                        2,
                        Health.DOWN,
                        Health.DOWN),
                Arguments.of(
                        "five, quorum 2 configured: 3 down beat 2 up",
                        "DDDUU",
                        2,
                        Health.UP,
                        Health.DOWN),
                Arguments.of(
                        "five: two abstaining, three down", "aaDDD", 3, Health.UP, Health.DOWN),
                Arguments.of("five: two abstaining, two down", "aaDDU", 3, Health.UP, Health.UP),
                Arguments.of(
                        "five: back up with three up, two stale",
                        "UUUss",
                        3,
                        Health.DOWN,
                        Health.UP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void verdictFollowsTheQuorumRules(
            String name, String voters, int quorum, Health previous, Health expected) {
        Verdict prev = new Verdict("t", previous, T0, 0, 0, 0, quorum, "before");
        Verdict v =
                QuorumEvaluator.evaluate("t", voters(voters), quorum, 2, prev, T0.plusSeconds(10));
        assertThat(v.health()).isEqualTo(expected);
        assertThat(v.since()).isEqualTo(expected == previous ? T0 : T0.plusSeconds(10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void theOrderOfTheVantagePointsDoesNotMatter(
            String name, String voters, int quorum, Health previous, Health expected) {
        Verdict prev = new Verdict("t", previous, T0, 0, 0, 0, quorum, "before");
        for (int shift = 0; shift < voters.length(); shift++) {
            String rotated = voters.substring(shift) + voters.substring(0, shift);
            Verdict v =
                    QuorumEvaluator.evaluate(
                            "t", voters(rotated), quorum, 2, prev, T0.plusSeconds(10));
            assertThat(v.health()).as(rotated).isEqualTo(expected);
        }
    }

    /** A: an inbound alert counted as a vote (it always says DOWN). */
    static Stream<Arguments> alerts() {
        return Stream.of(
                Arguments.of("one vantage point and the alert", "D??A", 2, Health.UP, Health.DOWN),
                Arguments.of("the third one stale", "DUsA", 2, Health.UP, Health.DOWN),
                Arguments.of("the alert alone", "U??A", 2, Health.UP, Health.UP),
                Arguments.of(
                        "the alert alone, quorum of one", "?A", 1, Health.UNKNOWN, Health.UNKNOWN),
                Arguments.of(
                        "the alert alone, every vantage point stale",
                        "sssA",
                        2,
                        Health.UP,
                        Health.UP),
                Arguments.of("two vantage points say UP", "DUUA", 2, Health.UP, Health.UP),
                Arguments.of(
                        "UP is decided by vantage points only", "DUUA", 2, Health.DOWN, Health.UP),
                Arguments.of("abstaining, down and stale", "aDsA", 2, Health.UP, Health.DOWN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alerts")
    void anInboundAlertAddsOneDownVoteButOnlyBesideAVantagePointThatSaysDown(
            String name, String voters, int quorum, Health previous, Health expected) {
        Verdict prev = new Verdict("t", previous, T0, 0, 0, 0, quorum, "before");
        Verdict v =
                QuorumEvaluator.evaluate("t", voters(voters), quorum, 2, prev, T0.plusSeconds(10));
        assertThat(v.health()).isEqualTo(expected);
    }

    @Test
    void reasonNamesTheInboundAlertAndWhetherItCounted() {
        Verdict prev = new Verdict("t", Health.UP, T0, 0, 0, 0, 2, "before");
        Verdict down = QuorumEvaluator.evaluate("t", voters("D??A"), 2, 2, prev, T0);
        assertThat(down.reason())
                .isEqualTo("DOWN: 1 of 3 vantage points + an inbound alert, fall=2");
        assertThat(down.down()).isEqualTo(2);
        assertThat(down.counted()).as("vantage points only").isEqualTo(3);
        Verdict kept = QuorumEvaluator.evaluate("t", voters("U??A"), 2, 2, prev, T0);
        assertThat(kept.reason())
                .isEqualTo(
                        "kept UP: no quorum of 2 (1 up, 0 down, 2 unknown, an inbound alert not"
                                + " counted alone)");
    }

    @Test
    void theAlertVoterHasTheNameTheConfigurationReservesForIt() {
        // src/test/resources/config/invalid/reserved-vantage-name.yaml: no vantage point has it
        assertThat(Voters.ALERTMANAGER).isEqualTo("alertmanager");
    }

    @Test
    void reasonCountsUnknownVotes() {
        Verdict prev = Verdict.unknown("t", T0, 2);
        Verdict v = QuorumEvaluator.evaluate("t", voters("U??"), 2, 2, prev, T0);
        assertThat(v.reason()).isEqualTo("UNKNOWN: no quorum of 2 (1 up, 0 down, 2 unknown)");
        Verdict up = QuorumEvaluator.evaluate("t", voters("UUs"), 2, 2, prev, T0);
        assertThat(up.reason()).isEqualTo("UP: 2 of 3 vantage points");
        assertThat(up.counted()).isEqualTo(2);
    }

    @Test
    void reasonNamesTheVotesAndFall() {
        Verdict prev = new Verdict("t", Health.UP, T0, 0, 0, 0, 2, "before");
        Verdict v = QuorumEvaluator.evaluate("t", voters("DDU"), 2, 2, prev, T0);
        assertThat(v.reason()).isEqualTo("DOWN: 2 of 3 vantage points, fall=2");
        Verdict kept = QuorumEvaluator.evaluate("t", voters("Dsa"), 2, 2, prev, T0);
        assertThat(kept.reason())
                .isEqualTo("kept UP: no quorum of 2 (0 up, 1 down, 1 stale, 1 abstaining)");
    }

    @Test
    void aFlappingTargetSeenDifferentlyEachRoundNeverFlipsWithoutQuorum() {
        Verdict v = new Verdict("t", Health.UP, T0, 0, 0, 0, 2, "before");
        String[] rounds = {"DUU", "UDU", "UUD", "D?U", "?DU", "DU?"};
        for (int i = 0; i < 60; i++) {
            v =
                    QuorumEvaluator.evaluate(
                            "t", voters(rounds[i % rounds.length]), 2, 2, v, T0.plusSeconds(i));
            assertThat(v.health()).isEqualTo(Health.UP);
        }
        assertThat(v.since()).isEqualTo(T0);
    }

    private static List<VoterInput> voters(String spec) {
        List<VoterInput> out = new ArrayList<>();
        for (int i = 0; i < spec.length(); i++) {
            String name = "vp" + (i + 1);
            out.add(
                    switch (spec.charAt(i)) {
                        case 'U' -> new VoterInput(name, Health.UP, true, false);
                        case 'D' -> new VoterInput(name, Health.DOWN, true, false);
                        case '?' -> new VoterInput(name, Health.UNKNOWN, true, false);
                        case 's' -> new VoterInput(name, Health.DOWN, false, false);
                        case 'a' -> new VoterInput(name, Health.DOWN, true, true);
                        case 'A' -> new VoterInput(Voters.ALERTMANAGER, Health.DOWN, true, false);
                        default -> throw new IllegalArgumentException(spec);
                    });
        }
        return out;
    }
}
