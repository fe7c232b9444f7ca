package dev.pharos.actuator;

/**
 * An actuator failed. Retryable failures (timeouts, 5xx, 429, a prerequisite that no longer holds)
 * are retried with backoff; permanent ones (401, 403, validation, a wrong TSIG key) stop the
 * actuator until the operator acts, and raise an event.
 */
public class ActuatorException extends Exception {
    private final boolean retryable;

    public ActuatorException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public static ActuatorException retryable(String message, Throwable cause) {
        return new ActuatorException(message, true, cause);
    }

    public static ActuatorException permanent(String message, Throwable cause) {
        return new ActuatorException(message, false, cause);
    }

    public boolean retryable() {
        return retryable;
    }
}
