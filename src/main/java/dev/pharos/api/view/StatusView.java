package dev.pharos.api.view;

import dev.pharos.quorum.QuorumStatus;
import java.time.Instant;
import java.util.List;

/** GET /api/v1/status. */
public record StatusView(
        String node,
        Instant startedAt,
        long round,
        boolean ready,
        List<String> notReadyBecause,
        Warmup warmup,
        QuorumStatus quorum,
        String frozen,
        List<RegionView> regions,
        List<RecordView> records) {

    /** Warm-up progress. */
    public record Warmup(boolean done, int roundsWithQuorum, int roundsNeeded) {}
}
