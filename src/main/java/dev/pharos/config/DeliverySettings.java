package dev.pharos.config;

import java.time.Duration;

/**
 * How notifications are delivered ({@code pharos.alerts.delivery}): per-attempt timeout, backoff,
 * give-up age, queue bound.
 */
public record DeliverySettings(
        Duration timeout,
        Duration firstRetry,
        Duration maxRetryDelay,
        Duration maxAge,
        int queueSize) {

    /** Delay before retry number {@code attempt} (1 = the first retry): doubling, capped. */
    public Duration retryDelay(int attempt) {
        if (attempt <= 0) {
            return Duration.ZERO;
        }
        long first = firstRetry.toMillis();
        int shift = Math.min(attempt - 1, 30);
        long ms = first > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : first << shift;
        return Duration.ofMillis(Math.min(ms, maxRetryDelay.toMillis()));
    }
}
