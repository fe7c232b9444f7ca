package dev.pharos.api.view;

import dev.pharos.observation.PeerStatus;
import dev.pharos.quorum.QuorumStatus;
import java.time.Instant;
import java.util.List;

/**
 * GET /api/v1/status.
 *
 * @param peers every other vantage point: reachable or not, how stale, the latest error
 * @param storage whether the journal and the state file are being written
 */
public record StatusView(
        String node,
        Instant startedAt,
        long round,
        boolean ready,
        List<String> notReadyBecause,
        Warmup warmup,
        QuorumStatus quorum,
        String frozen,
        List<PeerStatus> peers,
        List<RegionView> regions,
        List<RecordView> records,
        StorageView storage) {

    /** Warm-up progress. */
    public record Warmup(boolean done, int roundsWithQuorum, int roundsNeeded) {}
}
