package dev.pharos.probe;

/**
 * This process's own scheduling lag: a heartbeat timer every {@link #PERIOD_MILLIS} ms records how
 * late it fires. When the whole vantage point is stalled (CPU starvation, a long GC pause, an
 * overloaded host), every timer fires late and every socket event is handled late, so a probe that
 * timed out across such a stall says nothing about its target. {@link #longest} tells how long the
 * longest stall was that overlapped a span of time.
 *
 * <p>A heartbeat due at {@code d} that fires at {@code f} records the stall {@code [d, f]}; a
 * heartbeat that is overdue right now counts as a stall from its due time until now. The stalls of
 * the last {@link #KEPT} heartbeats are kept (a few seconds: longer than any probe timeout a
 * shortened limit applies to). Thread-safe: the heartbeat runs on a timer thread, queries come from
 * the probes' threads.
 */
public final class LocalStall {
    /** How often the heartbeat fires. */
    public static final long PERIOD_MILLIS = 20;

    /** Heartbeats remembered. */
    static final int KEPT = 256;

    private final Ticker ticker;
    private final long[] due = new long[KEPT];
    private final long[] fired = new long[KEPT];
    private int size;
    private int next;
    private long nextDue;
    private Ticker.Timer timer;
    private boolean running;

    public LocalStall(Ticker ticker) {
        this.ticker = ticker;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        nextDue = ticker.nanoTime() + PERIOD_MILLIS * 1_000_000;
        timer = ticker.schedule(PERIOD_MILLIS, this::beat);
    }

    public synchronized void stop() {
        running = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private synchronized void beat() {
        if (!running) {
            return;
        }
        long now = ticker.nanoTime();
        due[next] = nextDue;
        fired[next] = now;
        next = (next + 1) % KEPT;
        size = Math.min(size + 1, KEPT);
        // the next beat one period after this one fired: a long stall is one record, not many
        nextDue = now + PERIOD_MILLIS * 1_000_000;
        timer = ticker.schedule(PERIOD_MILLIS, this::beat);
    }

    /**
     * The longest stall, in nanoseconds, that overlapped {@code [fromNanos, toNanos]} (ticker
     * time): the most a heartbeat was late among those whose lateness overlaps the span, or the
     * current heartbeat's lateness if it is overdue now. Zero when the heartbeat is not running.
     */
    public synchronized long longest(long fromNanos, long toNanos) {
        if (!running) {
            return 0;
        }
        long longest = 0;
        for (int i = 0; i < size; i++) {
            if (fired[i] >= fromNanos && due[i] <= toNanos) {
                longest = Math.max(longest, fired[i] - due[i]);
            }
        }
        long now = ticker.nanoTime();
        if (nextDue <= toNanos && now > nextDue) {
            longest = Math.max(longest, now - nextDue);
        }
        return longest;
    }
}
