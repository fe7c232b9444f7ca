package dev.pharos.probe;

import java.util.Locale;

/** Why a probe failed. Never a bare boolean: the reason reaches the API, metrics and journal. */
public enum FailureReason {
    /** Connect or whole-probe timeout passed. */
    TIMEOUT,
    /** The connection was refused (RST to the SYN). */
    REFUSED,
    /** The connection was reset or closed before a complete answer. */
    RESET,
    /** TLS handshake or certificate verification failed. */
    TLS,
    /** The HTTP status was not an accepted one. */
    STATUS,
    /** The body (or tcp answer) did not contain what was expected. */
    BODY,
    /** A name could not be resolved. */
    DNS,
    /** Anything else (unreachable network, local bind failure, malformed answer). */
    OTHER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
