package dev.pharos.reconcile;

import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A {@link LoopScheduler} driven by hand on the test's thread, on the test's clock: tasks run only
 * when the test says so, timers only when it moves the clock to their time. No sleeps, no threads.
 */
final class ManualScheduler implements LoopScheduler {
    private final MutableClock clock;
    private final Deque<Runnable> ready = new ArrayDeque<>();
    private final List<Pending> timers = new ArrayList<>();
    private long sequence;

    private static final class Pending {
        final Instant due;
        final long order;
        final Runnable task;
        boolean cancelled;

        Pending(Instant due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }
    }

    ManualScheduler(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void execute(Runnable task) {
        ready.add(task);
    }

    @Override
    public Timer schedule(Runnable task, Duration delay) {
        Pending p = new Pending(clock.instant().plus(delay), sequence++, task);
        timers.add(p);
        return () -> p.cancelled = true;
    }

    /** Runs every task that is ready, and those they make ready, without moving the clock. */
    int runReady() {
        int n = 0;
        while (!ready.isEmpty()) {
            ready.poll().run();
            n++;
        }
        return n;
    }

    /**
     * Moves the clock by {@code d}, running each timer at its time and what it makes ready. A task
     * that moves the clock further (a slow round) leaves the timers that came due meanwhile for the
     * next call, as a real thread runs them after the task: {@code advance(Duration.ZERO)} runs
     * them.
     */
    void advance(Duration d) {
        Instant end = clock.instant().plus(d);
        runReady();
        while (true) {
            Optional<Pending> next = next().filter(p -> !p.due.isAfter(end));
            if (next.isEmpty()) {
                break;
            }
            Pending p = next.get();
            timers.remove(p);
            if (p.due.isAfter(clock.instant())) {
                clock.set(p.due);
            }
            p.task.run();
            runReady();
        }
        // a task may have moved the clock itself (a slow round): time never goes back
        if (end.isAfter(clock.instant())) {
            clock.set(end);
        }
    }

    /** Fires every timer now, whatever its time: a scheduler whose timers run early. */
    void fireTimersEarly() {
        List<Pending> due = new ArrayList<>(timers);
        timers.clear();
        due.stream().filter(p -> !p.cancelled).forEach(p -> p.task.run());
        runReady();
    }

    /** When the next timer that is not cancelled is due. */
    Optional<Instant> nextTimer() {
        return next().map(p -> p.due);
    }

    private Optional<Pending> next() {
        timers.removeIf(p -> p.cancelled);
        return timers.stream()
                .min(
                        Comparator.<Pending, Instant>comparing(p -> p.due)
                                .thenComparing(p -> p.order));
    }
}
