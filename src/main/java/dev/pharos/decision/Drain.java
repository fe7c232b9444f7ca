package dev.pharos.decision;

import java.time.Instant;

/** An operator override that takes a region out as if it were dead, until it expires. */
public record Drain(String region, String reason, Instant since, Instant until, String by) {
    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }
}
