package dev.pharos.decision;

import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the verdicts call for, after the safety guards: the managed RRsets and the relays.
 *
 * @param guards every guard that changed (or held back) something in this evaluation
 * @param allRegionsDown no region qualified for some record, which the never-empty guard filled
 */
public record DesiredState(
        Map<RecordKey, RecordSet> records,
        Map<String, RelayDecision> relays,
        List<GuardFiring> guards,
        boolean allRegionsDown) {

    public DesiredState {
        records = Collections.unmodifiableMap(new TreeMap<>(records));
        relays = Collections.unmodifiableMap(new TreeMap<>(relays));
        guards = List.copyOf(guards);
    }

    /** The same records and relays (guards and flags aside). */
    public boolean sameEffect(DesiredState other) {
        return other != null && records.equals(other.records) && relays.equals(other.relays);
    }
}
