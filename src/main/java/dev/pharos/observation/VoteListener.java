package dev.pharos.observation;

/**
 * Told about every change of this vantage point's own votes. The orchestrator, which turns probe
 * results into votes, calls every listener bean; the peer exchange is one (it pushes the new
 * snapshot to every peer).
 */
public interface VoteListener {
    /** Called on the probe's thread that changed the vote: must be cheap and never block. */
    void voteChanged(VoteChange change);
}
