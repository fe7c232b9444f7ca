package dev.pharos.decision;

import java.util.Locale;

/**
 * What a region can do for visitors, ordered from best to worst: the order picks a region's overall
 * state from its families' states, and min-regions adds back the least bad regions first.
 */
public enum RegionState {
    /** Load balancer and every backend UP. */
    HEALTHY,
    /** Some backends DOWN, at least min-backends UP. */
    DEGRADED,
    /** Not yet known (warm-up, or verdicts still UNKNOWN). */
    UNKNOWN,
    /** Load balancer UP, fewer than min-backends backends UP, relay UP: traffic is relayed. */
    RELAYING,
    /** Load balancer DOWN, or backends down without a working relay. */
    DEAD,
    /** Taken out by an operator. */
    DRAINED;

    /** Whether the region's addresses belong in DNS. */
    public boolean serving() {
        return this == HEALTHY || this == DEGRADED;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
