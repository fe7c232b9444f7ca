package dev.pharos.config;

/** The two kinds of managed DNS names. */
public enum RecordKind {
    /** Every serving region's load balancer addresses. */
    ROUND_ROBIN,
    /** One region's addresses, or the first serving region of its fallback order. */
    ALIAS
}
