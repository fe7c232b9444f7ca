package dev.pharos.api.view;

import dev.pharos.decision.GuardFiring;
import dev.pharos.decision.Hold;
import dev.pharos.observation.PeerStatus;
import dev.pharos.quorum.QuorumStatus;
import java.time.Instant;
import java.util.List;

/**
 * GET /api/v1/status.
 *
 * @param peers every other vantage point: reachable or not, how stale, the latest error
 * @param guards the guards that changed or held back the desired state in the last decision
 * @param holds every entry of the decision memory that holds an answer back, with its reason and
 *     expiry (the same as in the plan)
 * @param maintenance maintenance windows in force or announced, by start
 * @param actions every operator action this vantage point holds, with who else holds it
 * @param storage whether the journal and the state file are being written
 * @param geo per geo record, the current answer of every location and why (as {@code GET
 *     /api/v1/geo}); empty without geo records
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
        List<GuardFiring> guards,
        List<Hold> holds,
        List<ActionView> maintenance,
        List<ActionView> actions,
        StorageView storage,
        List<GeoView.RecordGeo> geo) {

    /** Warm-up progress. */
    /**
     * @param catchUp restart catch-up's state: off, silent, adopted, timed-out, own
     *     (docs/QUORUM.md)
     * @param catchUpDetail the same in words (whose desired state is served)
     */
    public record Warmup(
            boolean done,
            int roundsWithQuorum,
            int roundsNeeded,
            String catchUp,
            String catchUpDetail) {}
}
