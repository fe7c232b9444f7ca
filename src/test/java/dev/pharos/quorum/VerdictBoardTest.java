package dev.pharos.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Topology;
import dev.pharos.observation.Health;
import dev.pharos.observation.VantageView;
import dev.pharos.testing.TestTopology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quorum lost and regained, freezing, and warm-up, over a board of three vantage points. */
class VerdictBoardTest {
    private static final String LB = "europe/lb/ipv4";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Topology topology =
            TestTopology.vp1OfThree().quorum("warmup-rounds", 2).topology();
    private final VerdictBoard board =
            new VerdictBoard(topology.quorum(), topology.targets(), Map.of(), T0);
    private int second;

    /** One letter per vantage point: U up, D down, x unreachable, a abstaining (votes DOWN). */
    private VerdictBoard.Evaluation tick(String spec) {
        return evaluate(spec, true);
    }

    private VerdictBoard.Evaluation evaluate(String spec, boolean round) {
        List<VantageView> views = new ArrayList<>();
        for (int i = 0; i < spec.length(); i++) {
            String name = "vp" + (i + 1);
            char c = spec.charAt(i);
            Health vote = c == 'U' ? Health.UP : Health.DOWN;
            views.add(
                    c == 'x'
                            ? new VantageView(name, false, false, Map.of())
                            : new VantageView(
                                    name,
                                    true,
                                    c == 'a',
                                    Map.of(LB, new VantageView.VoteView(vote, true))));
        }
        return board.evaluate(views, round, T0.plusSeconds(++second));
    }

    private static Health lb(VerdictBoard.Evaluation ev) {
        return ev.verdicts().get(LB).health();
    }

    @Test
    void ifEveryVantagePointAbstainsQuorumIsNotHeld() {
        assertThat(lb(tick("UUU"))).isEqualTo(Health.UP);
        VerdictBoard.Evaluation one = tick("UUa");
        assertThat(one.quorum().held()).as("two of three still vote").isTrue();
        assertThat(one.quorum().abstaining()).containsExactly("vp3");

        VerdictBoard.Evaluation all = tick("aaa");
        assertThat(all.quorum().reachable()).isEqualTo(3);
        assertThat(all.quorum().abstaining()).containsExactly("vp1", "vp2", "vp3");
        assertThat(all.quorum().held()).isFalse();
        assertThat(all.quorumChanged()).isTrue();
        assertThat(all.quorum().lostText())
                .isEqualTo(
                        "3 of 3 vantage points reachable, 3 of them abstaining (vp1, vp2, vp3),"
                                + " 2 voting needed");
        assertThat(lb(all)).isEqualTo(Health.UP);

        VerdictBoard.Evaluation two = tick("aaU");
        assertThat(two.quorum().held()).as("one voting of the two needed").isFalse();
        assertThat(tick("UaU").quorum().held()).isTrue();
    }

    @Test
    void quorumIsAMajorityOfAllConfiguredVantagePoints() {
        assertThat(topology.quorum().size()).isEqualTo(2);
        assertThat(topology.quorum().vantagePoints()).containsExactly("vp1", "vp2", "vp3");
    }

    @Test
    void aVantagePointCutOffFromBothPeersFreezesItsVerdictsWhateverItSeesItself() {
        assertThat(lb(tick("UUU"))).isEqualTo(Health.UP);
        VerdictBoard.Evaluation lost = tick("Dxx");
        assertThat(lost.quorum().held()).isFalse();
        assertThat(lost.quorumChanged()).isTrue();
        assertThat(lost.quorum().reachable()).isEqualTo(1);
        assertThat(lost.quorum().missing()).containsExactly("vp2", "vp3");
        assertThat(lb(lost)).isEqualTo(Health.UP);
        assertThat(lost.changes()).isEmpty();
        assertThat(lost.verdicts().get(LB).since()).isEqualTo(T0.plusSeconds(1));

        VerdictBoard.Evaluation stillLost = tick("Dxx");
        assertThat(stillLost.quorumChanged()).isFalse();
        assertThat(lb(stillLost)).isEqualTo(Health.UP);

        VerdictBoard.Evaluation regained = tick("DDD");
        assertThat(regained.quorum().held()).isTrue();
        assertThat(regained.quorumChanged()).isTrue();
        assertThat(lb(regained)).isEqualTo(Health.DOWN);
        assertThat(regained.verdicts().get(LB).reason())
                .isEqualTo("DOWN: 3 of 3 vantage points, fall=2");
        assertThat(regained.changes()).hasSize(1);
    }

    @Test
    void theTwoConnectedVantagePointsStillDecideWhileTheThirdIsCutOff() {
        tick("UUU");
        VerdictBoard.Evaluation ev = tick("xDD");
        assertThat(ev.quorum().held()).isTrue();
        assertThat(lb(ev)).isEqualTo(Health.DOWN);
        assertThat(ev.verdicts().get(LB).reason()).isEqualTo("DOWN: 2 of 3 vantage points, fall=2");
    }

    @Test
    void oneVantagePointThatCannotReachTheRegionChangesNothing() {
        tick("UUU");
        VerdictBoard.Evaluation ev = tick("DUU");
        assertThat(lb(ev)).isEqualTo(Health.UP);
        assertThat(ev.changes()).isEmpty();
    }

    @Test
    void anAbstainingVantagePointIsReachableButItsVoteIsNotCounted() {
        tick("UUU");
        VerdictBoard.Evaluation ev = tick("DUa");
        assertThat(ev.quorum().held()).isTrue();
        assertThat(lb(ev)).isEqualTo(Health.UP);
        assertThat(ev.verdicts().get(LB).reason())
                .isEqualTo("kept UP: no quorum of 2 (1 up, 1 down, 1 abstaining)");
    }

    @Test
    void warmUpNeedsConsecutiveRoundsWithQuorumAndEarlyEvaluationsDoNotCount() {
        VerdictBoard.Evaluation ev = tick("UUU");
        assertThat(ev.warm()).isFalse();
        assertThat(ev.roundsWithQuorum()).isEqualTo(1);
        // verdicts are computed and shown during warm-up; only acting on them waits
        assertThat(lb(ev)).isEqualTo(Health.UP);
        ev = evaluate("UUU", false);
        ev = evaluate("UUU", false);
        assertThat(ev.warm()).isFalse();
        assertThat(ev.roundsWithQuorum()).isEqualTo(1);
        ev = tick("Uxx");
        assertThat(ev.roundsWithQuorum()).as("a round without quorum starts again").isZero();
        ev = tick("UUx");
        assertThat(ev.warm()).isFalse();
        ev = tick("UUx");
        assertThat(ev.warm()).isTrue();
        ev = tick("Uxx");
        assertThat(ev.warm()).as("warm-up happens once per start").isTrue();
    }

    @Test
    void noWarmUpRoundsMeansWarmAtOnce() {
        Topology t =
                TestTopology.node("vp1")
                        .region("europe", "127.0.1.1")
                        .quorum("warmup-rounds", 0)
                        .topology();
        VerdictBoard b = new VerdictBoard(t.quorum(), t.targets(), Map.of(), T0);
        assertThat(b.warm()).isTrue();
    }

    @Test
    void aFlappingTargetSeenDifferentlyByEachVantagePointKeepsItsVerdict() {
        tick("UUU");
        String[] rounds = {"DUU", "UDU", "UUD", "DUx", "xDU", "UxD", "DUa", "aDU"};
        for (int i = 0; i < 40; i++) {
            VerdictBoard.Evaluation ev = tick(rounds[i % rounds.length]);
            assertThat(lb(ev)).isEqualTo(Health.UP);
            assertThat(ev.changes()).isEmpty();
        }
    }

    @Test
    void anInboundAlertsVoteNeverHoldsQuorumForAVantagePointCutOffFromItsPeers() {
        assertThat(lb(tick("UUU"))).isEqualTo(Health.UP);
        List<VantageView> alone =
                List.of(
                        new VantageView(
                                "vp1",
                                true,
                                false,
                                Map.of(LB, new VantageView.VoteView(Health.DOWN, true))),
                        new VantageView("vp2", false, false, Map.of()),
                        new VantageView("vp3", false, false, Map.of()));
        VerdictBoard.Evaluation ev =
                board.evaluate(alone, java.util.Set.of(LB), true, T0.plusSeconds(++second));
        assertThat(ev.quorum().held()).isFalse();
        assertThat(ev.quorum().reachable()).isEqualTo(1);
        assertThat(lb(ev)).as("frozen").isEqualTo(Health.UP);
    }

    @Test
    void anInboundAlertsVoteTipsATargetThatOneReachableVantagePointSeesDown() {
        assertThat(lb(tick("UUU"))).isEqualTo(Health.UP);
        List<VantageView> views =
                List.of(
                        new VantageView(
                                "vp1",
                                true,
                                false,
                                Map.of(LB, new VantageView.VoteView(Health.DOWN, true))),
                        new VantageView(
                                "vp2",
                                true,
                                false,
                                Map.of(LB, new VantageView.VoteView(Health.UNKNOWN, true))),
                        new VantageView("vp3", false, false, Map.of()));
        assertThat(lb(board.evaluate(views, java.util.Set.of(), true, T0.plusSeconds(++second))))
                .isEqualTo(Health.UP);
        VerdictBoard.Evaluation ev =
                board.evaluate(views, java.util.Set.of(LB), true, T0.plusSeconds(++second));
        assertThat(lb(ev)).isEqualTo(Health.DOWN);
        assertThat(ev.verdicts().get(LB).reason())
                .isEqualTo("DOWN: 1 of 3 vantage points + an inbound alert, fall=2");
    }
}
