package dev.pharos.health;

import dev.pharos.coordination.WriterCheck;
import dev.pharos.coordination.Writers;
import dev.pharos.observation.OwnObservations;
import dev.pharos.reconcile.Actuators;
import dev.pharos.reconcile.Pipeline;
import dev.pharos.reconcile.PipelineState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * What readiness means: configuration loaded (else we would not be running), the first probe round
 * done, warm-up done, quorum held, exactly one writer where one is expected, and no actuator
 * stopped by a permanent error (it waits for an operator). Shared by the health check and the
 * status API so both say the same.
 */
@Singleton
public class ReadinessState {
    @Inject OwnObservations observations;
    @Inject Pipeline pipeline;
    @Inject Actuators actuators;
    @Inject Writers writers;

    /** The unmet conditions, in words; empty when ready. */
    public List<String> unmet() {
        return unmet(pipeline.state());
    }

    /**
     * The same, judged on this snapshot: a response that shows the snapshot beside readiness (the
     * status API) must not read the pipeline twice, or warm-up could end between the reads and the
     * response say "ready" and "warming up" at once.
     */
    public List<String> unmet(PipelineState s) {
        List<String> out = new ArrayList<>();
        if (!observations.firstRoundDone()) {
            out.add("first probe round not done");
        }
        if (!s.warm()) {
            out.add("warming up (" + s.roundsWithQuorum() + " rounds with quorum so far)");
        }
        if (!s.quorum().held()) {
            out.add(
                    "quorum lost: "
                            + s.quorum().reachable()
                            + " of "
                            + s.quorum().vantagePoints()
                            + " vantage points reachable, "
                            + s.quorum().size()
                            + " needed");
        }
        if (writers != null) {
            writers.latest().flatMap(WriterCheck::problem).ifPresent(p -> out.add("writers: " + p));
        }
        for (String stopped : actuators.stopped()) {
            out.add("actuator stopped after a permanent error: " + stopped);
        }
        return out;
    }

    public boolean ready() {
        return unmet().isEmpty();
    }
}
