package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One vantage point's vote on a target and its latest observation.
 *
 * @param since when the vote took its value, by that vantage point's clock
 * @param fresh whether the quorum counts this vote now
 * @param reachable this instance itself, or a peer whose latest snapshot arrived within stale-after
 * @param ageMs age of the latest observation behind the vote, as of now
 * @param abstaining the vantage point fails its own canaries (shown only when it does)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VantageVoteView(
        String vantage,
        String vote,
        Instant since,
        boolean fresh,
        boolean reachable,
        Long ageMs,
        Boolean abstaining,
        ObservationView last) {}
