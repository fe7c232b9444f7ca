package dev.pharos.config;

/** The kinds of managed DNS names. */
public enum RecordKind {
    /** Every serving region's load balancer addresses. */
    ROUND_ROBIN,
    /** One region's addresses, or the first serving region of its fallback order. */
    ALIAS,
    /**
     * Per client location: the first serving region(s) of the location's ordered list; every
     * serving region for a client whose location is unknown.
     */
    GEO
}
