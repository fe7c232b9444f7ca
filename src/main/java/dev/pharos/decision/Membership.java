package dev.pharos.decision;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether a region's addresses of one family are in DNS, as Pharos last decided, and the times the
 * guards need.
 *
 * @param in the region is published for this family
 * @param since when {@link #in} took its value
 * @param servingSince when the region last became serving (HEALTHY or DEGRADED) without
 *     interruption; empty while it is not serving. Hold-down counts from here.
 */
public record Membership(boolean in, Instant since, Optional<Instant> servingSince) {
    public static Membership initial(Instant now) {
        return new Membership(true, now, Optional.of(now));
    }
}
