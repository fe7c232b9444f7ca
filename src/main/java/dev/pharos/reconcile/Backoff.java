package dev.pharos.reconcile;

import java.time.Duration;

/** Exponential backoff for retryable actuator errors: 250 ms doubling, capped at 30 s. */
final class Backoff {
    static final Duration FIRST = Duration.ofMillis(250);
    static final Duration MAX = Duration.ofSeconds(30);

    private Backoff() {}

    /** Delay before retry number {@code attempt} (1 = first retry). */
    static Duration delay(int attempt) {
        if (attempt <= 0) {
            return Duration.ZERO;
        }
        long ms = FIRST.toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(ms, MAX.toMillis()));
    }
}
