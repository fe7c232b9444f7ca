package dev.pharos.probe;

import dev.pharos.config.AdaptiveTimeoutSettings;
import dev.pharos.config.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Runs every target on its own interval and hands every result to a {@link ProbeResultSink}.
 *
 * <ul>
 *   <li>Each target starts at a random offset within its interval, so a thousand targets do not
 *       fire in one burst.
 *   <li>Regular probes keep the target's own phase: a success plans the next probe at the next
 *       point of its grid (its random offset plus whole intervals) at least {@code recheck} after
 *       that probe's start; a failure plans a re-check {@code recheck} after its start (rapid
 *       re-check). Nothing starts before the previous probe has finished, so probes of one target
 *       never overlap. An extra probe (a peer's re-probe request, an alert's, a re-check) therefore
 *       does not move the grid: the vantage points, whose grids have independent random offsets, do
 *       not fall into step after probing together, and the first of them to probe after a fault
 *       stays the first of several independent schedules.
 *   <li>Everything is asynchronous: a slow target holds only its own chain.
 *   <li>Each target keeps one {@link Ticker#lane() lane} of the ticker for good: its timers and
 *       probes run on one event loop, and the targets are spread over all of them.
 *   <li>Each probe's timeout is the target's {@link AdaptiveTimeout}: from its own recent latency,
 *       at most the configured timeout.
 *   <li>A probe that timed out at such a shortened limit while this process itself was stalled
 *       ({@link LocalStall}: its heartbeat late by a quarter of the limit or more) is inconclusive:
 *       the stall, not the target, may have eaten the time. It is not reported; the target is
 *       probed again at once with the full configured timeout. A success measured across such a
 *       stall (a quarter of the floor or more) is reported, but the adaptive timeout does not learn
 *       its latency.
 *   <li>A peer's re-probe request ({@link #reprobe}) is an extra probe of a target whose last probe
 *       here succeeded; it never hurries a re-check that this vantage point's own failure planned,
 *       so {@code fall} failures are always spaced by {@code recheck} at least.
 * </ul>
 */
public final class ProbeScheduler {
    private static final Logger LOG = Logger.getLogger(ProbeScheduler.class);

    /**
     * A timeout at a shortened limit is inconclusive when this process was stalled for at least
     * this fraction (1/n) of the limit during the probe.
     */
    static final int STALL_FRACTION = 4;

    private final Ticker ticker;
    private final Prober prober;
    private final ProbeResultSink sink;
    private final RandomGenerator random;
    private final AdaptiveTimeoutSettings adaptive;
    private final LocalStall stall;
    // inconclusive probes since the last log line about them (at most one line per 10 s)
    private long unlogged;
    private long longestUnlogged;
    private long lastLogNanos = Long.MIN_VALUE;
    private final Map<String, Chain> chains = new ConcurrentHashMap<>();
    private volatile boolean running;

    /** Every probe waits for its configured timeout. */
    public ProbeScheduler(
            Ticker ticker, Prober prober, ProbeResultSink sink, RandomGenerator random) {
        this(ticker, prober, sink, random, AdaptiveTimeoutSettings.OFF);
    }

    public ProbeScheduler(
            Ticker ticker,
            Prober prober,
            ProbeResultSink sink,
            RandomGenerator random,
            AdaptiveTimeoutSettings adaptive) {
        this.ticker = ticker;
        this.prober = prober;
        this.sink = sink;
        this.random = random;
        this.adaptive = adaptive;
        this.stall = new LocalStall(ticker);
    }

    public void start(List<Target> targets) {
        running = true;
        if (adaptive.enabled()) {
            stall.start();
        }
        for (Target t : targets) {
            long intervalNanos = t.probe().interval().toNanos();
            long offset = intervalNanos <= 1 ? 0 : random.nextLong(intervalNanos);
            Chain c = new Chain(t, ticker.nanoTime() + offset);
            chains.put(t.id(), c);
            c.planAt(c.anchorNanos);
        }
    }

    public void stop() {
        running = false;
        stall.stop();
        chains.values().forEach(Chain::cancel);
    }

    /**
     * Probes the target as soon as possible (an inbound alert asks for fast confirmation): now if
     * idle, else right after the probe in flight.
     */
    public boolean probeNow(String targetId) {
        Chain c = chains.get(targetId);
        if (c == null || !running) {
            return false;
        }
        c.hurry();
        return true;
    }

    /** What a peer's re-probe request did. */
    public enum Reprobe {
        /** Probing now, or right after the probe in flight if that one succeeds. */
        PROBING,
        /** Not probed: the last probe here failed, so its own re-check is planned already. */
        RECHECKING,
        /** No such target, or the scheduler is stopped. */
        UNKNOWN
    }

    /**
     * A peer saw this target fail and asks for a probe now. If the last probe here succeeded (or
     * none finished yet), probes now when idle, else right after the probe in flight unless that
     * one fails (a failure plans its own re-check, which a peer does not hurry).
     */
    public Reprobe reprobe(String targetId) {
        Chain c = chains.get(targetId);
        if (c == null || !running) {
            return Reprobe.UNKNOWN;
        }
        return c.reprobe();
    }

    /** Counts an inconclusive probe; says so in the log at most once per 10 s. */
    private synchronized void stalled(long now, long spanNanos) {
        unlogged++;
        longestUnlogged = Math.max(longestUnlogged, spanNanos);
        if (lastLogNanos != Long.MIN_VALUE && now - lastLogNanos < 10_000_000_000L) {
            return;
        }
        LOG.infof(
                "%d probe(s) timed out at a shortened limit (after up to %d ms) while this process was"
                        + " stalled: inconclusive, probed again with the configured timeout",
                unlogged, longestUnlogged / 1_000_000);
        lastLogNanos = now;
        unlogged = 0;
        longestUnlogged = 0;
    }

    /** Probes started so far, per target (for tests and the status API). */
    public long probesStarted(String targetId) {
        Chain c = chains.get(targetId);
        return c == null ? 0 : c.started;
    }

    /**
     * Probes of a target that timed out at a shortened limit during a local stall and were not
     * reported (for tests and the status API).
     */
    public long inconclusive(String targetId) {
        Chain c = chains.get(targetId);
        return c == null ? 0 : c.inconclusive;
    }

    /**
     * Whether a finished probe says nothing about its target: it timed out at a limit shorter than
     * the configured one, and this process was stalled meanwhile for a {@link #STALL_FRACTION}th of
     * that limit or more.
     */
    private boolean inconclusive(
            ProbeResult r, Duration used, Duration configured, long startNanos, long endNanos) {
        return !r.success()
                && r.reason().equals(Optional.of(FailureReason.TIMEOUT))
                && used.compareTo(configured) < 0
                && stall.longest(startNanos, endNanos) * STALL_FRACTION >= used.toNanos();
    }

    /**
     * Whether a success was measured across a stall of this process long enough to matter (a {@link
     * #STALL_FRACTION}th of the adaptive floor or more): its latency is partly the stall's, and
     * would raise the target's limit for its next {@code samples} probes, so the adaptive timeout
     * does not learn from it.
     */
    private boolean inflated(ProbeResult r, long startNanos, long endNanos) {
        return adaptive.enabled()
                && r.success()
                && stall.longest(startNanos, endNanos) * STALL_FRACTION
                        >= adaptive.floor().toNanos();
    }

    private final class Chain {
        private final Target target;
        private final AdaptiveTimeout timeouts;
        private final Ticker lane = ticker.lane();
        private Ticker.Timer timer;

        /** The grid of regular probes: this plus whole intervals. */
        private final long anchorNanos;

        private long plannedNanos;
        private boolean inFlight;
        private boolean hurry;
        private boolean peerHurry;
        private boolean lastFailed;
        private long started;
        private long inconclusive;
        private boolean fullNext;

        Chain(Target target, long anchorNanos) {
            this.target = target;
            this.anchorNanos = anchorNanos;
            this.timeouts = new AdaptiveTimeout(adaptive);
        }

        synchronized void planAt(long atNanos) {
            if (!running) {
                return;
            }
            plannedNanos = atNanos;
            long delayMillis = Math.max(1, (atNanos - lane.nanoTime() + 999_999) / 1_000_000);
            timer = lane.schedule(delayMillis, this::fire);
        }

        synchronized void cancel() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }

        synchronized void hurry() {
            if (inFlight) {
                hurry = true;
                return;
            }
            cancel();
            planAt(lane.nanoTime());
        }

        synchronized Reprobe reprobe() {
            if (lastFailed) {
                return Reprobe.RECHECKING;
            }
            if (inFlight) {
                peerHurry = true;
                return Reprobe.PROBING;
            }
            cancel();
            planAt(lane.nanoTime());
            return Reprobe.PROBING;
        }

        private void fire() {
            long startNanos;
            long lag;
            Duration configured = target.probe().timeout();
            Duration timeout;
            synchronized (this) {
                if (!running || inFlight) {
                    return;
                }
                timer = null;
                inFlight = true;
                started++;
                startNanos = lane.nanoTime();
                lag = Math.max(0, startNanos - plannedNanos);
                timeout = fullNext ? configured : timeouts.timeout(configured);
                fullNext = false;
            }
            prober.probe(target, timeout)
                    .onComplete(
                            ar -> {
                                ProbeResult r = ar.succeeded() ? ar.result() : null;
                                if (r != null
                                        && inconclusive(
                                                r,
                                                timeout,
                                                configured,
                                                startNanos,
                                                ticker.nanoTime())) {
                                    again(r);
                                    return;
                                }
                                if (r != null && !inflated(r, startNanos, ticker.nanoTime())) {
                                    synchronized (this) {
                                        timeouts.record(r, timeout, configured);
                                    }
                                }
                                try {
                                    if (r != null) {
                                        sink.accept(target, r, lag);
                                    }
                                } finally {
                                    next(startNanos, r != null && r.success());
                                }
                            });
        }

        /**
         * An inconclusive probe: reported to no one, learnt from by nothing; the target is probed
         * again at once, with its configured timeout.
         */
        private synchronized void again(ProbeResult r) {
            inFlight = false;
            inconclusive++;
            fullNext = true;
            hurry = false;
            peerHurry = false;
            LOG.debugf(
                    "%s: %s during a stall of this process: inconclusive, probing again with the"
                            + " configured timeout",
                    target.id(), r.detail());
            stalled(ticker.nanoTime(), r.timings().totalMicros() * 1000);
            planAt(ticker.nanoTime());
        }

        private synchronized void next(long startNanos, boolean success) {
            inFlight = false;
            lastFailed = !success;
            long now = lane.nanoTime();
            boolean peerAsked = peerHurry && success;
            peerHurry = false;
            if (hurry || peerAsked) {
                hurry = false;
                planAt(now);
                return;
            }
            long recheck = target.probe().recheck().toNanos();
            long at = success ? onGrid(startNanos + recheck) : startNanos + recheck;
            planAt(Math.max(now, at));
        }

        /** The first point of this target's grid at or after {@code nanos}. */
        long onGrid(long nanos) {
            long interval = Math.max(1, target.probe().interval().toNanos());
            if (nanos <= anchorNanos) {
                return anchorNanos;
            }
            long k = (nanos - anchorNanos + interval - 1) / interval;
            return anchorNanos + k * interval;
        }
    }
}
