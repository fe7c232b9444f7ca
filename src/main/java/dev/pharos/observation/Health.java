package dev.pharos.observation;

import java.util.Locale;

/** A vote's or a verdict's opinion of a target. */
public enum Health {
    UNKNOWN(-1),
    UP(1),
    DOWN(0);

    private final int gauge;

    Health(int gauge) {
        this.gauge = gauge;
    }

    /** The value exported in metrics: 1 UP, 0 DOWN, -1 UNKNOWN. */
    public int gauge() {
        return gauge;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
