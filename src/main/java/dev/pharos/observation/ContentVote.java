package dev.pharos.observation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One vantage point's judgement of one region's content, as exchanged in {@link
 * VantageSnapshot#content}.
 *
 * @param since when the state took its current value, by the sender's clock
 * @param ageMs age of the check behind it at the sender; null before the first check
 * @param syncedAt the time the trace file holds, if it was read
 * @param version the manifest's version (the first 12 hex digits of its SHA-256), if it was read
 * @param syncing whether the in-progress marker was there
 * @param detail why, in words
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContentVote(
        ContentState state,
        Instant since,
        Long ageMs,
        Instant syncedAt,
        String version,
        Boolean syncing,
        String detail) {

    public static final int MAX_DETAIL = 200;
}
