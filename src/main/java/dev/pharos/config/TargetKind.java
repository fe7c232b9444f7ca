package dev.pharos.config;

/** What a target is to its region. */
public enum TargetKind {
    LOAD_BALANCER,
    BACKEND,
    RELAY,
    CANARY
}
