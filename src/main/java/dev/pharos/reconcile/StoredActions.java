package dev.pharos.reconcile;

import dev.pharos.config.Topology;
import dev.pharos.decision.Drain;
import dev.pharos.journal.StateStore;
import dev.pharos.observation.ActionStore;
import dev.pharos.observation.Hlc;
import dev.pharos.observation.OperatorAction;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator actions saved in {@code state.json}. Drains saved by a version before actions were
 * shared become drain actions of this vantage point, stamped with the time they were set.
 */
@Singleton
public class StoredActions implements ActionStore {
    private final Topology topology;
    private final StateStore store;

    @Inject
    public StoredActions(Topology topology, StateStore store) {
        this.topology = topology;
        this.store = store;
    }

    @Override
    public List<OperatorAction> saved() {
        List<OperatorAction> out = new ArrayList<>(store.get().actions());
        for (Drain d : store.get().drains()) {
            Hlc at = new Hlc(d.since().toEpochMilli(), 0, topology.nodeName());
            out.add(
                    new OperatorAction(
                            OperatorAction.Kind.DRAIN.key(d.region()),
                            at,
                            false,
                            d.region(),
                            d.reason(),
                            d.since(),
                            d.until(),
                            d.by()));
        }
        return out;
    }
}
