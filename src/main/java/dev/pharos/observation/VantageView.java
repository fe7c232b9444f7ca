package dev.pharos.observation;

import java.util.Map;

/**
 * What the quorum knows of one vantage point in a round.
 *
 * @param reachable this instance itself, or a peer whose data arrived within stale-after
 * @param abstaining the vantage point fails its own canaries
 * @param votes by target id; a vote missing here is not fresh
 */
public record VantageView(
        String vantage, boolean reachable, boolean abstaining, Map<String, VoteView> votes) {

    /** One vote as seen by the quorum. */
    public record VoteView(Health vote, boolean fresh) {}
}
