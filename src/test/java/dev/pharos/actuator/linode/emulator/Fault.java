package dev.pharos.actuator.linode.emulator;

import java.time.Duration;

/**
 * One injected fault of the {@link LinodeEmulator}, applied to the next {@code count} requests
 * whose path starts with {@code pathPrefix} (and, for write faults, only to writes), after letting
 * {@code skip} such requests through untouched. {@code n} is the Retry-After in seconds of a 429,
 * or the number of rows a page shift deletes.
 */
public record Fault(Kind kind, int count, int skip, String pathPrefix, Duration delay, int n) {

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
        WRITE_APPLIED_THEN_DROPPED,
        /**
         * A write whose answer is lost (the connection closed, as after a client's timeout) and
         * that Linode applies {@code delay} later: a read right after it does not show it yet.
         */
        WRITE_APPLIED_LATE,
        /** The record or node a write addresses is deleted just before it: the write gets 404. */
        ROW_VANISHES,
        /**
         * A list read answered normally, after which the {@code n} rows with the lowest ids of that
         * Domain are deleted (someone tidying the DNS Manager): the rows after them move up a page
         * between two page requests.
         */
        PAGE_SHIFT
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

    public static Fault writeAppliedLate(int count, Duration delay) {
        return new Fault(Kind.WRITE_APPLIED_LATE, count, 0, "/", delay, 0);
    }

    public static Fault rowVanishes(int count) {
        return new Fault(Kind.ROW_VANISHES, count, 0, "/", Duration.ZERO, 0);
    }

    /** After the next list read, {@code rows} rows with the lowest ids are deleted. */
    public static Fault pageShift(int rows) {
        return new Fault(Kind.PAGE_SHIFT, 1, 0, "/", Duration.ZERO, rows);
    }

    /** The same fault, only for requests under this path ("/v4/domains"). */
    public Fault under(String prefix) {
        return new Fault(kind, count, skip, prefix, delay, n);
    }

    /** The same fault from the k-th matching request on (k = 1: the next one). */
    public Fault fromThe(int k) {
        return new Fault(kind, count, k - 1, pathPrefix, delay, n);
    }

    public int retryAfterSeconds() {
        return n;
    }

    boolean forWrites() {
        return kind == Kind.WRITE_FAILS
                || kind == Kind.WRITE_APPLIED_THEN_DROPPED
                || kind == Kind.WRITE_APPLIED_LATE
                || kind == Kind.ROW_VANISHES;
    }

    boolean forReads() {
        return kind == Kind.PAGE_SHIFT;
    }

    /** After one matching request: one fewer to skip, or one fewer to apply. */
    Fault next() {
        return skip > 0
                ? new Fault(kind, count, skip - 1, pathPrefix, delay, n)
                : new Fault(kind, count - 1, 0, pathPrefix, delay, n);
    }
}
