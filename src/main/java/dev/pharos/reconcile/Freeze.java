package dev.pharos.reconcile;

/**
 * Why the pipeline keeps the desired state as it is instead of deciding: the reason the code acts
 * on, and the same in words for the status and plan APIs.
 */
public record Freeze(Reason reason, String text) {

    /** What holds decisions back. */
    public enum Reason {
        /** Fewer rounds with quorum since start than {@code quorum.warmup-rounds}. */
        WARMING_UP,
        /** Too few vantage points are reachable. */
        QUORUM_LOST
    }

    /** Before the first round: the desired state is the one restored from disk. */
    static Freeze atStart() {
        return new Freeze(Reason.WARMING_UP, "warming up");
    }

    static Freeze warmingUp(int roundsWithQuorum, int warmupRounds) {
        return new Freeze(
                Reason.WARMING_UP,
                "warming up: " + roundsWithQuorum + " of " + warmupRounds + " rounds with quorum");
    }

    static Freeze quorumLost() {
        return new Freeze(Reason.QUORUM_LOST, "quorum lost: decisions frozen");
    }
}
