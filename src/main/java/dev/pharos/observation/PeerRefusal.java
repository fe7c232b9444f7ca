package dev.pharos.observation;

import java.util.Locale;

/**
 * Why a peer request was refused: the {@code reason} label of {@code pharos_peer_refused_total} and
 * the journal's {@code PEER_REFUSED} event, with the words for the problem response.
 *
 * @param detail never holds a token
 */
public record PeerRefusal(Reason reason, String detail) {

    /** The kinds of refusal; the label values are fixed. */
    public enum Reason {
        /** The bearer token names no configured peer (401). */
        TOKEN,
        /** The snapshot or re-probe request speaks for another vantage point than the caller. */
        VANTAGE,
        /** A required field is missing or malformed. */
        INVALID,
        /** The round jumps further than a sender can advance it. */
        ROUND,
        /** A vote's {@code ageMs} is negative or older than the sender's own run. */
        AGE,
        /** {@code startedAt} is further in the future than {@code max-clock-skew}. */
        STARTED_AT;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static PeerRefusal invalid(String detail) {
        return new PeerRefusal(Reason.INVALID, detail);
    }
}
