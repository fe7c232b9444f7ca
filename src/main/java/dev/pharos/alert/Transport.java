package dev.pharos.alert;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Sends one POST and classifies the answer; never throws, never blocks the caller. */
interface Transport extends AutoCloseable {

    /** How an attempt ended. */
    enum Result {
        DELIVERED,
        /** Try again later: no answer, a timeout, 408, 425, 429 or 5xx. */
        RETRYABLE,
        /** Do not try again: the receiver refused this message (another 4xx, a redirect). */
        PERMANENT
    }

    /**
     * @param error a short description without the URL (a Slack URL is a secret)
     * @param retryAfter the receiver's Retry-After, if it sent one
     */
    record Attempt(Result result, int status, String error, Optional<Duration> retryAfter) {}

    CompletableFuture<Attempt> post(
            URI url, Map<String, String> headers, byte[] body, Duration timeout);

    @Override
    default void close() {}
}
