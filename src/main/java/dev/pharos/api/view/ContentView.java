package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pharos.observation.ContentReading;
import dev.pharos.observation.ContentVote;
import dev.pharos.probe.ContentCheck;
import dev.pharos.quorum.ContentVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A region's content (docs/CONTENT.md): the quorum's verdict, every counted vantage point's vote,
 * and (region detail) this vantage point's latest check of each target.
 *
 * @param ageSeconds seconds since the last sync the verdict's trace shows, if any
 * @param vantagePoints the counted votes, by vantage point
 * @param checks region detail only: this vantage point's latest check of every target
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContentView(
        String state,
        String reason,
        Instant since,
        Instant syncedAt,
        Long ageSeconds,
        String version,
        Map<String, ContentVote> vantagePoints,
        List<CheckView> checks) {

    /** One target's latest check, as read here. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckView(
            String target,
            boolean loadBalancer,
            Instant at,
            Instant syncedAt,
            String version,
            boolean syncing,
            String error) {

        public static CheckView of(ContentCheck c) {
            ContentReading r = ContentReading.of(c);
            return new CheckView(
                    c.targetId(),
                    c.loadBalancer(),
                    c.at(),
                    r.syncedAt().orElse(null),
                    r.version().orElse(null),
                    r.syncing(),
                    r.error().orElse(null));
        }
    }

    public static ContentView of(ContentVerdict v, Instant now, List<CheckView> checks) {
        return new ContentView(
                v.state().name(),
                v.reason(),
                v.since(),
                v.syncedAt(),
                ageSeconds(v, now),
                v.version(),
                v.votes(),
                checks);
    }

    public static Long ageSeconds(ContentVerdict v, Instant now) {
        return v.syncedAt() == null
                ? null
                : Math.max(0, Duration.between(v.syncedAt(), now).toSeconds());
    }
}
