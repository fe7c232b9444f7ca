package dev.pharos.quorum;

import dev.pharos.observation.ContentState;
import dev.pharos.observation.ContentVote;
import java.time.Instant;
import java.util.Map;

/**
 * A region's content as a quorum of vantage points sees it.
 *
 * @param since when the state took its current value, by this instance's clock
 * @param syncedAt the latest trace time among the votes for the state, if any
 * @param version the manifest version most of the counted votes saw, if any
 * @param votes every vantage point's countable vote, by name
 */
public record ContentVerdict(
        String region,
        ContentState state,
        String reason,
        Instant since,
        Instant syncedAt,
        String version,
        Map<String, ContentVote> votes) {

    public boolean stale() {
        return state == ContentState.STALE;
    }
}
