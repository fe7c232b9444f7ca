package dev.pharos.observation;

import java.util.Locale;

/** How one pull from or push to a peer ended; the {@code outcome} label of the exchange metric. */
public enum ExchangeOutcome {
    /** The peer answered with a snapshot (pull) or took ours (push). */
    OK,
    /** No answer within the exchange timeout (connect or whole request). */
    TIMEOUT,
    /** Nothing listens at the peer's address. */
    REFUSED,
    /** The TLS handshake failed (untrusted certificate, wrong name, protocol). */
    TLS,
    /** The peer refused our bearer token (401/403): the peer tokens differ. */
    UNAUTHORIZED,
    /** The peer refused the request (another 4xx), e.g. it does not know this vantage point. */
    REJECTED,
    /** The peer failed (5xx). */
    SERVER_ERROR,
    /** The peer answered, but not with a snapshot of the vantage point configured at that URL. */
    INVALID,
    /** Anything else (connection reset, closed, unresolvable name). */
    ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
