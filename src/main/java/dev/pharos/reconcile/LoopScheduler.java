package dev.pharos.reconcile;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where a {@link ReconcileLoop} runs its rounds and timers: one thread, so that a round, a retry
 * and a resync never overlap. Tests drive it by hand.
 */
public interface LoopScheduler {
    /** Runs the task soon, after whatever runs now. */
    void execute(Runnable task);

    /** Runs the task once after the delay. */
    Timer schedule(Runnable task, Duration delay);

    /** A scheduled task that has not run yet can be cancelled. */
    interface Timer {
        void cancel();
    }

    /**
     * On a single-threaded executor. Once it is shut down, tasks are dropped: nothing is left to
     * reconcile.
     */
    static LoopScheduler on(ScheduledExecutorService executor) {
        return new LoopScheduler() {
            @Override
            public void execute(Runnable task) {
                try {
                    executor.execute(task);
                } catch (RejectedExecutionException e) {
                    // shutting down
                }
            }

            @Override
            public Timer schedule(Runnable task, Duration delay) {
                try {
                    ScheduledFuture<?> f =
                            executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                    return () -> f.cancel(false);
                } catch (RejectedExecutionException e) {
                    return () -> {};
                }
            }
        };
    }
}
