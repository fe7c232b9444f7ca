package dev.pharos.probe;

/**
 * Monotonic time and one-shot timers. The scheduler's timing logic runs on this interface so that
 * tests can drive it with virtual time instead of sleeping.
 */
public interface Ticker {
    long nanoTime();

    /** Runs {@code task} once after {@code delayMillis} (at least 1); the handle cancels it. */
    Timer schedule(long delayMillis, Runnable task);

    /** A planned task; cancelling one that already ran (or was cancelled) does nothing. */
    interface Timer {
        void cancel();
    }

    /**
     * The ticker for one target's probes: all its tasks run on one thread, the same each time (for
     * {@link VertxTicker}: one event loop, chosen round-robin when the lane is made, where the
     * target's probes then run too). By default this ticker itself.
     */
    default Ticker lane() {
        return this;
    }
}
