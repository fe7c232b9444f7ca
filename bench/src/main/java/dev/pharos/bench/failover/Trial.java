package dev.pharos.bench.failover;

import java.util.List;
import java.util.Set;

/**
 * One trial as it happened, on the querier's clock (ms): the window it owns ({@code start} to
 * {@code end}), the fault, the optional restart, the revival, the addresses the fault made dead,
 * and the systems measured in it. Missing moments are NaN.
 */
record Trial(
        Scenario scenario,
        int index,
        double start,
        double fault,
        double restart,
        double revive,
        double end,
        Set<String> dead,
        List<String> measured) {}
