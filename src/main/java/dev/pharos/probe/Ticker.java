package dev.pharos.probe;

/**
 * Monotonic time and one-shot timers. The scheduler's timing logic runs on this interface so that
 * tests can drive it with virtual time instead of sleeping.
 */
public interface Ticker {
    long nanoTime();

    /** Runs {@code task} once after {@code delayMillis} (at least 1); returns an id for cancel. */
    long schedule(long delayMillis, Runnable task);

    void cancel(long id);
}
