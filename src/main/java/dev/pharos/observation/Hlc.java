package dev.pharos.observation;

import java.util.Comparator;

/**
 * A hybrid logical clock's timestamp: the wall time in milliseconds of the vantage point that made
 * it (never behind any timestamp that vantage point had seen), a counter that orders timestamps
 * within one millisecond, and that vantage point's name, which breaks the last tie. Timestamps are
 * totally ordered, so every instance picks the same winner between two operator actions.
 *
 * @param wall milliseconds since the epoch
 * @param counter orders timestamps with the same wall time
 * @param origin the vantage point whose API took the action
 */
public record Hlc(long wall, int counter, String origin) implements Comparable<Hlc> {
    private static final Comparator<Hlc> ORDER =
            Comparator.comparingLong(Hlc::wall)
                    .thenComparingInt(Hlc::counter)
                    .thenComparing(Hlc::origin);

    @Override
    public int compareTo(Hlc o) {
        return ORDER.compare(this, o);
    }

    public boolean after(Hlc o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return wall + "." + counter + "@" + origin;
    }
}
