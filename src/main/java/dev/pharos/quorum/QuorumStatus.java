package dev.pharos.quorum;

import java.time.Instant;
import java.util.List;

/**
 * Whether enough vantage points can vote for verdicts to change: at least {@link #size} must be
 * reachable and not abstaining. If every vantage point abstains (or all but fewer than the quorum
 * size), quorum is not held: no verdict can change, so no region could fail over.
 *
 * @param reachable vantage points (this one included) with fresh data
 * @param missing vantage points without fresh data
 * @param abstaining reachable vantage points whose canaries are all DOWN, sorted by name
 * @param since when {@link #held} took its current value
 */
public record QuorumStatus(
        boolean held,
        int reachable,
        int size,
        int vantagePoints,
        List<String> missing,
        List<String> abstaining,
        Instant since) {

    public QuorumStatus {
        missing = List.copyOf(missing);
        // by name, so every instance words the same state the same way
        abstaining = abstaining.stream().sorted().toList();
    }

    /** Nobody abstaining. */
    public QuorumStatus(
            boolean held,
            int reachable,
            int size,
            int vantagePoints,
            List<String> missing,
            Instant since) {
        this(held, reachable, size, vantagePoints, missing, List.of(), since);
    }

    /** Reachable vantage points that vote (do not abstain). */
    public int voting() {
        return reachable - abstaining.size();
    }

    /** Why quorum is not held, in words; for readiness, status and the journal. */
    public String lostText() {
        return reachable
                + " of "
                + vantagePoints
                + " vantage points reachable"
                + (abstaining.isEmpty()
                        ? ""
                        : ", "
                                + abstaining.size()
                                + " of them abstaining ("
                                + String.join(", ", abstaining)
                                + ")")
                + ", "
                + size
                + (abstaining.isEmpty() ? " needed" : " voting needed");
    }
}
