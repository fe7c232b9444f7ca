package dev.pharos.reconcile;

import dev.pharos.config.Topology;
import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.journal.PersistedState;
import dev.pharos.journal.StateStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * What this instance had concluded before a restart, read from the persisted state once, at
 * start-up: the only path by which the saved desired state reaches the pipeline (its state until
 * the first decision) and the actuators (the embedded DNS server serves it until its first apply).
 * No actuator reads the persisted state itself.
 */
@Singleton
public class RestoredState {
    private final PersistedState saved;
    private final DesiredState desired;
    private final DecisionMemory memory;

    @Inject
    public RestoredState(Topology topology, StateStore store) {
        this(topology, store.get());
    }

    public RestoredState(Topology topology, PersistedState saved) {
        this.saved = saved;
        // the records saved before a restart, else every configured address (fail open: before
        // the verdicts exist, nothing is known to be dead); no relay until the first decision
        this.desired =
                new DesiredState(
                        ManagedRecords.restore(topology, saved.desiredRecords()),
                        Map.of(),
                        List.of(),
                        false);
        this.memory = saved.decision().restrictTo(topology);
    }

    /** The persisted state as it was at start-up (verdicts; the memory: {@link #memory}). */
    public PersistedState saved() {
        return saved;
    }

    /** The decision memory, without entries of regions no longer configured. */
    public DecisionMemory memory() {
        return memory;
    }

    /** The desired state until the first decision of this run. */
    public DesiredState desired() {
        return desired;
    }
}
