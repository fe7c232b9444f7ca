package dev.pharos.observation;

import java.util.Locale;

/** A region's content as one vantage point judges it, or as a quorum of them agrees. */
public enum ContentState {
    /** The last sync is recent and the manifest is the newest. */
    FRESH,
    /** The last sync is older than warn-after, or the manifest differs from the newest. */
    LAGGING,
    /**
     * The last sync is older than stale-after, or the manifest has differed from the newest for
     * longer than stale-after.
     */
    STALE,
    /** The in-progress marker is there: a sync is running (for at most stale-after). */
    SYNCING,
    /** Not checked yet, the check is too old, or a file could not be read. */
    UNKNOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
