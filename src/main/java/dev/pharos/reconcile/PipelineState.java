package dev.pharos.reconcile;

import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.RegionStatus;
import dev.pharos.quorum.ContentVerdict;
import dev.pharos.quorum.QuorumStatus;
import dev.pharos.quorum.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of what the pipeline last concluded; the API and health checks read it
 * without locking.
 *
 * @param round rounds completed since start
 * @param regions by region name, in topology order
 * @param desired the desired state last handed to the actuators (restored from disk at start,
 *     frozen while warming up or without quorum)
 * @param memory the decision memory after this evaluation (hold-down, blast-radius window,
 *     confirmations), restored from disk at start
 * @param frozen why the desired state is not being updated, if it is not
 * @param content content verdicts of the checked regions, by region name (docs/CONTENT.md)
 * @param catchUp where the embedded DNS server's answers come from after a start (restart catch-up,
 *     docs/QUORUM.md)
 */
public record PipelineState(
        long round,
        Instant evaluatedAt,
        Map<String, Verdict> verdicts,
        Map<String, RegionStatus> regions,
        QuorumStatus quorum,
        boolean warm,
        int roundsWithQuorum,
        DesiredState desired,
        DecisionMemory memory,
        Optional<Freeze> frozen,
        Map<String, ContentVerdict> content,
        RestartCatchUp.Status catchUp) {

    /** A state without restart catch-up (it is off). */
    public PipelineState(
            long round,
            Instant evaluatedAt,
            Map<String, Verdict> verdicts,
            Map<String, RegionStatus> regions,
            QuorumStatus quorum,
            boolean warm,
            int roundsWithQuorum,
            DesiredState desired,
            DecisionMemory memory,
            Optional<Freeze> frozen,
            Map<String, ContentVerdict> content) {
        this(
                round,
                evaluatedAt,
                verdicts,
                regions,
                quorum,
                warm,
                roundsWithQuorum,
                desired,
                memory,
                frozen,
                content,
                new RestartCatchUp.Status(RestartCatchUp.State.OFF, List.of(), evaluatedAt));
    }

    /** A state without content verdicts. */
    public PipelineState(
            long round,
            Instant evaluatedAt,
            Map<String, Verdict> verdicts,
            Map<String, RegionStatus> regions,
            QuorumStatus quorum,
            boolean warm,
            int roundsWithQuorum,
            DesiredState desired,
            DecisionMemory memory,
            Optional<Freeze> frozen) {
        this(
                round,
                evaluatedAt,
                verdicts,
                regions,
                quorum,
                warm,
                roundsWithQuorum,
                desired,
                memory,
                frozen,
                Map.of());
    }

    /** Still warming up: the next decision is the first since start. */
    boolean warmingUp() {
        return frozen.map(f -> f.reason() == Freeze.Reason.WARMING_UP).orElse(false);
    }
}
