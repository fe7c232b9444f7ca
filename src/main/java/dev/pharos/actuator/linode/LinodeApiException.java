package dev.pharos.actuator.linode;

import dev.pharos.actuator.ActuatorException;

/**
 * A failed Linode API call, as an {@link ActuatorException}: retryable (429, 5xx, timeouts, broken
 * connections), a conflict (the record a write addressed is gone: a re-read fixes it) or permanent
 * (400, 401, 403, and 404 on anything a re-read cannot bring back). The message names the call and
 * Linode's reasons, never the token.
 *
 * @see #status()
 */
public class LinodeApiException extends ActuatorException {
    private final int status;
    private final boolean maybeApplied;

    LinodeApiException(String message, Kind kind, int status) {
        this(message, kind, status, false);
    }

    LinodeApiException(String message, Kind kind, int status, boolean maybeApplied) {
        super(message, kind, null);
        this.status = status;
        this.maybeApplied = maybeApplied;
    }

    /** A 401: the token itself is refused, whatever it was used for. */
    @Override
    public boolean credential() {
        return status == 401;
    }

    /** The HTTP status of Linode's answer; 0 when there was no answer (timeout, connection). */
    public int status() {
        return status;
    }

    /**
     * True for a creation whose answer was lost after it was sent (no answer, or a gateway's 502 or
     * 504): Linode may have applied it, or may apply it later, so the caller must not simply make
     * it again.
     */
    public boolean maybeApplied() {
        return maybeApplied;
    }
}
