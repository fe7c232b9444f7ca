package dev.pharos.actuator.linode;

import dev.pharos.actuator.ActuatorException;

/**
 * A failed Linode API call, as an {@link ActuatorException}: retryable (429, 5xx, timeouts, broken
 * connections) or permanent (400, 401, 403, 404). The message names the call and Linode's reasons,
 * never the token.
 *
 * @see #status()
 */
public class LinodeApiException extends ActuatorException {
    private final int status;

    LinodeApiException(String message, Kind kind, int status) {
        super(message, kind, null);
        this.status = status;
    }

    /** The HTTP status of Linode's answer; 0 when there was no answer (timeout, connection). */
    public int status() {
        return status;
    }
}
