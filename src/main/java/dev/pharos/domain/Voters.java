package dev.pharos.domain;

/** Voter names with a meaning of their own. */
public final class Voters {
    private Voters() {}

    /**
     * The voter of an inbound alert counted as a vote: it votes beside the vantage points, so no
     * vantage point may take this name.
     */
    public static final String ALERTMANAGER = "alertmanager";
}
