package dev.pharos.reconcile;

import dev.pharos.config.Topology;
import dev.pharos.decision.Decider;
import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.RegionStatus;
import dev.pharos.domain.RecordSet;
import dev.pharos.journal.Journal;
import dev.pharos.journal.OperatorEvent.Confirmed;
import dev.pharos.journal.RegionEvidence;
import dev.pharos.journal.StateStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The decision part of a pipeline step: region states to the desired state through the guards
 * ({@link Decider}), with the decision memory kept and persisted, guard and all-regions-down
 * transitions journaled, and a changed desired state journaled with its evidence and persisted (the
 * embedded DNS server serves it after a restart). Runs only on the pipeline thread.
 */
final class DecisionStep {
    private final Topology topology;
    private final StateStore store;
    private final Journal journal;
    private final EventRecorder events;
    private DecisionMemory memory;

    /**
     * What was decided.
     *
     * @param offer the evidence to hand to the actuators with the desired state, when it is to be
     *     handed over: it changed, or it is the first decision since start
     */
    record Decision(DesiredState desired, Optional<Map<String, RegionEvidence>> offer) {}

    DecisionStep(
            Topology topology,
            StateStore store,
            Journal journal,
            EventRecorder events,
            DecisionMemory memory) {
        this.topology = topology;
        this.store = store;
        this.journal = journal;
        this.events = events;
        this.memory = memory;
    }

    Decision decide(
            PipelineState before,
            Map<String, RegionStatus> regions,
            Evidence verdicts,
            Instant now) {
        return decide(before, regions, Set.of(), Set.of(), verdicts, now);
    }

    /**
     * @param withdrawn serving regions to take out of DNS all the same (stale content with {@code
     *     content.on-stale: leave-dns})
     * @param leftOutOfGeo serving regions to pass over in geo answers (stale content with {@code
     *     content.on-stale: leave-geo})
     */
    Decision decide(
            PipelineState before,
            Map<String, RegionStatus> regions,
            Set<String> withdrawn,
            Set<String> leftOutOfGeo,
            Evidence verdicts,
            Instant now) {
        Decider.Result result =
                Decider.decide(topology, regions, withdrawn, leftOutOfGeo, memory, now);
        DesiredState desired = result.desired();
        DesiredState old = before.desired();
        boolean memoryChanged = !result.memory().equals(memory);
        memory = result.memory();
        DecisionMemory kept = memory;
        if (memoryChanged && desired.sameEffect(old)) {
            store.update(s -> s.withDecision(kept));
        }
        events.guards(old.guards(), desired.guards());
        if (desired.allRegionsDown() != old.allRegionsDown()) {
            events.allRegionsDown(desired.allRegionsDown());
        }
        boolean first = before.warmingUp();
        if (!desired.sameEffect(old) || first) {
            Map<String, RegionEvidence> evidence = new LinkedHashMap<>();
            for (RegionStatus r : regions.values()) {
                RegionStatus was = before.regions().get(r.region());
                if (first || was == null || was.state() != r.state() || !r.state().serving()) {
                    evidence.put(r.region(), events.evidence(r, verdicts));
                }
            }
            if (!desired.sameEffect(old)) {
                events.desiredChanged(old, desired, evidence);
                // one write for both: the decision takes effect after it, and sooner
                List<RecordSet> records = List.copyOf(desired.records().values());
                store.update(
                        s ->
                                memoryChanged
                                        ? s.withDecision(kept).withDesiredRecords(records)
                                        : s.withDesiredRecords(records));
            }
            return new Decision(desired, Optional.of(evidence));
        }
        return new Decision(desired, Optional.empty());
    }

    /** The memory as last decided (or restored); read on the pipeline thread. */
    DecisionMemory memory() {
        return memory;
    }

    /** Records an operator's confirmation of removals the blast-radius guard holds back. */
    void confirm(List<String> regions, String by, String origin, Instant now) {
        Map<String, Instant> c = new LinkedHashMap<>(memory.confirmations());
        regions.forEach(r -> c.put(r, now));
        memory = new DecisionMemory(memory.membership(), memory.removals(), c);
        store.update(s -> s.withDecision(memory));
        journal.append(Confirmed.of(regions, by, origin));
    }
}
