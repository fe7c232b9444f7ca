package dev.pharos.config;

import java.time.Duration;

/** Failover policy and the parameters of the safety guards. */
public record PolicySettings(
        boolean dryRun,
        int minRegions,
        int maxRemovals,
        Duration removalWindow,
        Duration holdDown) {}
