package dev.pharos.decision;

import dev.pharos.config.Family;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A region's state, overall and per address family.
 *
 * @param state the worst of the families' states
 * @param since when {@link #state} took its current value
 */
public record RegionStatus(
        String region,
        RegionState state,
        Map<Family, FamilyStatus> families,
        int backendsUp,
        int backendsTotal,
        String reason,
        Instant since) {

    public Optional<FamilyStatus> family(Family f) {
        return Optional.ofNullable(families.get(f));
    }

    /** Whether the region serves this family (false when it has no address of the family). */
    public boolean serves(Family f) {
        return family(f).map(s -> s.state().serving()).orElse(false);
    }
}
