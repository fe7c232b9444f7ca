package dev.pharos.actuator.linode.emulator;

import java.time.Duration;

/**
 * One injected fault of the {@link LinodeEmulator}, applied to the next {@code count} requests
 * whose path starts with {@code pathPrefix} (and, for write faults, only to writes), after letting
 * {@code skip} such requests through untouched.
 */
public record Fault(
        Kind kind, int count, int skip, String pathPrefix, Duration delay, int retryAfterSeconds) {

    public enum Kind {
        /** Answer 429 with Retry-After (and the X-RateLimit headers), untouched. */
        RATE_LIMIT,
        /** Answer 500, untouched. */
        SERVER_ERROR,
        /** Process normally, answer after {@code delay}. */
        SLOW,
        /** Close the connection without an answer, untouched. */
        DROP,
        /** A write (POST, PUT, DELETE) answered 500, untouched. */
        WRITE_FAILS,
        /** A write applied, then the connection closed without an answer. */
        WRITE_APPLIED_THEN_DROPPED
    }

    public static Fault rateLimit(int count, int retryAfterSeconds) {
        return new Fault(Kind.RATE_LIMIT, count, 0, "/", Duration.ZERO, retryAfterSeconds);
    }

    public static Fault serverError(int count) {
        return new Fault(Kind.SERVER_ERROR, count, 0, "/", Duration.ZERO, 0);
    }

    public static Fault slow(int count, Duration delay) {
        return new Fault(Kind.SLOW, count, 0, "/", delay, 0);
    }

    public static Fault drop(int count) {
        return new Fault(Kind.DROP, count, 0, "/", Duration.ZERO, 0);
    }

    public static Fault writeFails(int count) {
        return new Fault(Kind.WRITE_FAILS, count, 0, "/", Duration.ZERO, 0);
    }

    public static Fault writeAppliedThenDropped(int count) {
        return new Fault(Kind.WRITE_APPLIED_THEN_DROPPED, count, 0, "/", Duration.ZERO, 0);
    }

    /** The same fault, only for requests under this path ("/v4/domains"). */
    public Fault under(String prefix) {
        return new Fault(kind, count, skip, prefix, delay, retryAfterSeconds);
    }

    /** The same fault from the k-th matching request on (k = 1: the next one). */
    public Fault fromThe(int k) {
        return new Fault(kind, count, k - 1, pathPrefix, delay, retryAfterSeconds);
    }

    boolean forWrites() {
        return kind == Kind.WRITE_FAILS || kind == Kind.WRITE_APPLIED_THEN_DROPPED;
    }

    /** After one matching request: one fewer to skip, or one fewer to apply. */
    Fault next() {
        return skip > 0
                ? new Fault(kind, count, skip - 1, pathPrefix, delay, retryAfterSeconds)
                : new Fault(kind, count - 1, 0, pathPrefix, delay, retryAfterSeconds);
    }
}
