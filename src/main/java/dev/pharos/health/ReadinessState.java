package dev.pharos.health;

import dev.pharos.coordination.WriterCheck;
import dev.pharos.coordination.Writers;
import dev.pharos.journal.Journal;
import dev.pharos.journal.StateStore;
import dev.pharos.observation.OwnObservations;
import dev.pharos.reconcile.Actuators;
import dev.pharos.reconcile.Pipeline;
import dev.pharos.reconcile.PipelineState;
import dev.pharos.reconcile.RestartCatchUp;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * What readiness means: configuration loaded (else we would not be running), the first probe round
 * done, warm-up done, quorum held, exactly one writer where one is expected, no actuator stopped by
 * a permanent error (it waits for an operator), and the journal and the state file written (a full
 * or failing disk: failover goes on, but nothing it does is recorded). Shared by the health check
 * and the status API so both say the same.
 */
@Singleton
public class ReadinessState {
    @Inject OwnObservations observations;
    @Inject Pipeline pipeline;
    @Inject Actuators actuators;
    @Inject Journal journal;
    @Inject StateStore store;
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
            out.add("quorum lost: " + s.quorum().lostText());
        }
        if (writers != null) {
            writers.latest().flatMap(WriterCheck::problem).ifPresent(p -> out.add("writers: " + p));
        }
        for (String stopped : actuators.stopped()) {
            out.add("actuator stopped after a permanent error: " + stopped);
        }
        Journal.Health j = journal.health();
        if (j.failing()) {
            out.add(
                    "journal cannot be written since "
                            + j.failingSince().map(Object::toString).orElse("?")
                            + " ("
                            + j.error().orElse("?")
                            + "): "
                            + j.unwritten()
                            + " events wait in memory, "
                            + j.dropped()
                            + " dropped");
        }
        StateStore.Health st = store.health();
        if (st.failing()) {
            out.add(
                    "state file cannot be written since "
                            + st.failingSince().map(Object::toString).orElse("?")
                            + " ("
                            + st.error().orElse("?")
                            + "); the state is kept in memory");
        }
        return out;
    }

    /**
     * What readiness shows without failing: restart catch-up while it lasts (the instance is
     * warming up then, which fails readiness anyway), and the vantage points that abstain (their
     * canaries are all down). While enough others vote, this instance is ready; when too few vote,
     * quorum is lost and readiness fails with that reason.
     */
    public List<String> notes(PipelineState s) {
        List<String> out = new ArrayList<>();
        if (!s.quorum().abstaining().isEmpty()) {
            out.add(
                    "abstaining (all canaries down, votes not counted): "
                            + String.join(", ", s.quorum().abstaining()));
        }
        RestartCatchUp.State c = s.catchUp().state();
        if (c != RestartCatchUp.State.OFF && c != RestartCatchUp.State.OWN) {
            out.add("restart catch-up, embedded DNS " + s.catchUp().text());
        }
        return out;
    }

    public boolean ready() {
        return unmet().isEmpty();
    }
}
