package dev.pharos.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;

/**
 * One entry of the decision memory that holds an answer back or may: shown by the status and the
 * plan with its reason and expiry, so that nothing remembered (across a restart too) changes DNS
 * without a visible reason.
 *
 * @param family the address family ("ipv4", "ipv6"); null for entries about a whole region
 * @param since when the entry began
 * @param until when it ends by itself; null when only the region's state can end it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hold(
        Kind kind, String region, String family, Instant since, Instant until, String reason) {

    /** What is held, by the names the API shows. */
    public enum Kind {
        /** A region serving again waits out {@code policy.hold-down} before it re-enters. */
        HOLD_DOWN("hold-down"),
        /** A region is out of DNS and not serving: it re-enters after serving for hold-down. */
        REMOVED("removed"),
        /** A region that left within the window and is still out spends blast-radius budget. */
        BLAST_RADIUS_WINDOW("blast-radius-window"),
        /** An operator's confirmation of a removal the blast radius would hold back. */
        CONFIRMATION("confirmation");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }
    }
}
