package dev.pharos.quorum;

import java.time.Instant;
import java.util.List;

/**
 * Whether enough vantage points are reachable for verdicts to change.
 *
 * @param reachable vantage points (this one included) with fresh data
 * @param missing vantage points without fresh data
 * @param since when {@link #held} took its current value
 */
public record QuorumStatus(
        boolean held,
        int reachable,
        int size,
        int vantagePoints,
        List<String> missing,
        Instant since) {}
