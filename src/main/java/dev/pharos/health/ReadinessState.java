package dev.pharos.health;

import dev.pharos.observation.OwnObservations;
import dev.pharos.reconcile.Actuators;
import dev.pharos.reconcile.Pipeline;
import dev.pharos.reconcile.PipelineState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * What readiness means (DESIGN 6): configuration loaded (else we would not be running), the first
 * probe round done, warm-up done, quorum held. Shared by the health check and the status API so
 * both say the same.
 */
@Singleton
public class ReadinessState {
    @Inject OwnObservations observations;
    @Inject Pipeline pipeline;
    @Inject Actuators actuators;

    /** The unmet conditions, in words; empty when ready. */
    public List<String> unmet() {
        List<String> out = new ArrayList<>();
        PipelineState s = pipeline.state();
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
        for (String stopped : actuators.stopped()) {
            out.add("actuator stopped after a permanent error: " + stopped);
        }
        return out;
    }

    public boolean ready() {
        return unmet().isEmpty();
    }
}
