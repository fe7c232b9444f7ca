package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.observation.VoteChange;
import dev.pharos.observation.VoteMachine;
import dev.pharos.observation.VoteState;
import dev.pharos.probe.FailureReason;
import dev.pharos.probe.PhaseTimings;
import dev.pharos.probe.ProbeResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which failures ask the peers to re-probe: only the one that starts a fall sequence. */
class VoteIntakeFallStartTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static ProbeResult result(boolean ok) {
        return ok
                ? ProbeResult.ok(
                        "t", T, "ok", PhaseTimings.totalOnly(1), Optional.empty(), Optional.empty())
                : ProbeResult.failed(
                        "t",
                        T,
                        FailureReason.REFUSED,
                        "connection refused",
                        PhaseTimings.totalOnly(1),
                        Optional.empty(),
                        Optional.empty());
    }

    /** Feeds the outcomes through the vote machine; true where the peers would be asked. */
    private static List<Boolean> asks(int fall, boolean... outcomes) {
        VoteState state = VoteState.initial(T);
        List<Boolean> out = new ArrayList<>();
        for (boolean ok : outcomes) {
            VoteState next = VoteMachine.next(state, ok, 3, fall, T);
            Optional<VoteChange> change =
                    next.vote() == state.vote()
                            ? Optional.empty()
                            : Optional.of(new VoteChange("t", state.vote(), next.vote(), T));
            out.add(VoteIntake.startsFallSequence(result(ok), next, change));
            state = next;
        }
        return out;
    }

    @Test
    void onlyTheFirstFailureAfterASuccessAsks() {
        // UP, a fall sequence to DOWN, back UP after rise 3, and a new fall sequence
        assertThat(asks(2, true, false, false, false, true, true, true, false))
                .containsExactly(false, true, false, false, false, false, false, true);
    }

    @Test
    void aDownTargetThatFlickersUpAndFailsAgainAsksNothing() {
        // DOWN, one success (rise 3 not reached), a failure: still DOWN, nothing to confirm
        assertThat(asks(2, true, false, false, true, false))
                .containsExactly(false, true, false, false, false);
    }

    @Test
    void withFallOneTheFailureThatTurnsTheVoteDownAsks() {
        assertThat(asks(1, true, false, false)).containsExactly(false, true, false);
    }

    @Test
    void aTargetFailingFromTheStartAsksOnce() {
        assertThat(asks(2, false, false, false)).containsExactly(true, false, false);
    }
}
