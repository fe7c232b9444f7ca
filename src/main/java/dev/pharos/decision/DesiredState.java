package dev.pharos.decision;

import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the verdicts call for, after the safety guards: the managed RRsets and the relays.
 *
 * @param guards every guard that changed (or held back) something in this evaluation
 * @param allRegionsDown some address family has no region left that serves it (every region of the
 *     family is DEAD, RELAYING or DRAINED), and the never-empty guard publishes every configured
 *     address of it (fail open)
 * @param leftOutOfGeo regions that stay in the RRsets but are passed over in geo records' answers
 *     (STALE content with {@code content.on-stale: leave-geo}; {@link GeoAnswers})
 */
public record DesiredState(
        Map<RecordKey, RecordSet> records,
        Map<String, RelayDecision> relays,
        List<GuardFiring> guards,
        boolean allRegionsDown,
        Set<String> leftOutOfGeo) {

    public DesiredState {
        records = Collections.unmodifiableMap(new TreeMap<>(records));
        relays = Collections.unmodifiableMap(new TreeMap<>(relays));
        guards = List.copyOf(guards);
        leftOutOfGeo = Collections.unmodifiableSet(new TreeSet<>(leftOutOfGeo));
    }

    /** No region left out of geo answers. */
    public DesiredState(
            Map<RecordKey, RecordSet> records,
            Map<String, RelayDecision> relays,
            List<GuardFiring> guards,
            boolean allRegionsDown) {
        this(records, relays, guards, allRegionsDown, Set.of());
    }

    /**
     * The same records, relays and regions left out of geo answers (guards and flags aside). A
     * relay is compared by its target only: its reason is free text (backend counts among it) and
     * must not make a new desired state.
     */
    public boolean sameEffect(DesiredState other) {
        return other != null
                && records.equals(other.records)
                && leftOutOfGeo.equals(other.leftOutOfGeo)
                && targets(relays).equals(targets(other.relays));
    }

    private static Map<String, Optional<String>> targets(Map<String, RelayDecision> relays) {
        Map<String, Optional<String>> out = new TreeMap<>();
        relays.forEach((region, r) -> out.put(region, r.target()));
        return out;
    }
}
