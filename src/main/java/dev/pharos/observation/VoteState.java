package dev.pharos.observation;

import java.time.Instant;
import java.util.Optional;

/**
 * A vantage point's current opinion of one target, with the streak that may change it.
 *
 * @param streak consecutive results with the same outcome as the last one
 * @param lastSuccess outcome of the last result (meaningless while {@code streak == 0})
 * @param since when {@link #vote} took its current value
 * @param lastResultAt when the last result came in; empty before the first
 */
public record VoteState(
        Health vote,
        int streak,
        boolean lastSuccess,
        Instant since,
        Optional<Instant> lastResultAt) {

    public static VoteState initial(Instant now) {
        return new VoteState(Health.UNKNOWN, 0, false, now, Optional.empty());
    }
}
