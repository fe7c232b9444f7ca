package dev.pharos.actuator;

/**
 * An actuator failed. Retryable failures (timeouts, 5xx, 429) are retried with backoff; a conflict
 * (the compare-and-set found the published set changed since it was read) is retried at once after
 * a re-read and re-plan; permanent ones (401, 403, validation, a wrong TSIG key) stop the actuator
 * until the operator acts, and raise an event.
 */
public class ActuatorException extends Exception {
    /** How the reconciler should react. */
    public enum Kind {
        RETRYABLE,
        CONFLICT,
        PERMANENT
    }

    private final Kind kind;

    public ActuatorException(String message, Kind kind, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public static ActuatorException retryable(String message, Throwable cause) {
        return new ActuatorException(message, Kind.RETRYABLE, cause);
    }

    public static ActuatorException conflict(String message) {
        return new ActuatorException(message, Kind.CONFLICT, null);
    }

    public static ActuatorException permanent(String message, Throwable cause) {
        return new ActuatorException(message, Kind.PERMANENT, cause);
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind != Kind.PERMANENT;
    }

    public boolean conflict() {
        return kind == Kind.CONFLICT;
    }

    /**
     * Whether the cause is the actuator's own credential (a revoked token), not one region's
     * object: every region fails alike, so a stop names no region.
     */
    public boolean credential() {
        return false;
    }
}
