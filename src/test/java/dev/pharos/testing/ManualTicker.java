package dev.pharos.testing;

import dev.pharos.probe.Ticker;
import java.util.PriorityQueue;

/** Virtual time for timer-driven code: nothing happens until the test advances the clock. */
public final class ManualTicker implements Ticker {
    private final class Task implements Timer {
        final long at;
        final long id;
        final Runnable run;

        Task(long at, long id, Runnable run) {
            this.at = at;
            this.id = id;
            this.run = run;
        }

        @Override
        public void cancel() {
            synchronized (ManualTicker.this) {
                queue.remove(this);
            }
        }
    }

    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(
                    (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.id, b.id));
    private long now;
    private long nextId;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Timer schedule(long delayMillis, Runnable task) {
        Task t = new Task(now + Math.max(1, delayMillis) * 1_000_000, nextId++, task);
        queue.add(t);
        return t;
    }

    /** Advances virtual time, running every task that falls due, in order. */
    public void advanceMillis(long millis) {
        long end;
        synchronized (this) {
            end = Math.max(now, now + millis * 1_000_000);
        }
        while (true) {
            Task t;
            synchronized (this) {
                t = queue.peek();
                if (t == null || t.at > end) {
                    now = Math.max(now, end);
                    return;
                }
                queue.poll();
                // a task overdue after a stall runs late, at the time the stall ended
                now = Math.max(now, t.at);
            }
            t.run.run();
        }
    }

    /**
     * The process stalls: time moves on by {@code millis} and nothing runs meanwhile; the tasks
     * that fell due run late, at the next {@link #advanceMillis}. May be called from a task.
     */
    public synchronized void stallMillis(long millis) {
        now += millis * 1_000_000;
    }

    public synchronized long nowMillis() {
        return now / 1_000_000;
    }
}
