package dev.pharos.probe;

import dev.pharos.config.AdaptiveTimeoutSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * One target's probe timeout, derived from that target's own observed latency, so a server that
 * stops answering is declared failed in a few hundred milliseconds from a nearby vantage point
 * instead of after the whole configured timeout, without making a slow-but-alive target flap.
 *
 * <ul>
 *   <li>Until {@link #MIN_SAMPLES} successes are known, the configured timeout.
 *   <li>Then {@code factor} x the slowest of the last {@code samples} successful probes, at least
 *       {@code floor}, at most the configured timeout.
 *   <li>Each consecutive timeout at a limit shorter than the configured one doubles the limit for
 *       the next probe (up to the configured timeout): a target whose latency jumps is given twice
 *       as long at its re-check, so with {@code fall: 2} it is declared failed only if it answers
 *       neither within the limit nor within twice the limit. A success resets the doubling.
 *   <li>Failures other than timeouts (refused, bad status) change nothing: they say nothing about
 *       how long an answer takes.
 * </ul>
 *
 * <p>Pure: the latencies come from the probes' own measurements; no clock or timer here. Not
 * thread-safe: each target's chain uses its own under its lock.
 */
public final class AdaptiveTimeout {
    /** Successes needed before the timeout adapts. */
    public static final int MIN_SAMPLES = 5;

    private final AdaptiveTimeoutSettings settings;
    private final long[] window;
    private int size;
    private int next;
    private int timeouts;

    public AdaptiveTimeout(AdaptiveTimeoutSettings settings) {
        this.settings = settings;
        this.window = new long[Math.max(1, settings.samples())];
    }

    /** The timeout of this target's next probe, given its configured timeout. */
    public Duration timeout(Duration configured) {
        if (!settings.enabled() || size < Math.min(MIN_SAMPLES, window.length)) {
            return configured;
        }
        long slowest = 0;
        for (int i = 0; i < size; i++) {
            slowest = Math.max(slowest, window[i]);
        }
        double micros = Math.max(settings.floor().toNanos() / 1000.0, slowest * settings.factor());
        micros *= Math.pow(2, Math.min(timeouts, 30));
        long configuredMicros = configured.toNanos() / 1000;
        if (micros >= configuredMicros) {
            return configured;
        }
        // whole milliseconds, rounded up: the probe's timer has millisecond resolution
        return Duration.ofMillis(Math.max(1, (long) Math.ceil(micros / 1000.0)));
    }

    /**
     * Learns from one finished probe.
     *
     * @param used the timeout that probe ran with
     * @param configured the target's configured timeout
     */
    public void record(ProbeResult result, Duration used, Duration configured) {
        if (result.success()) {
            window[next] = Math.max(0, result.timings().totalMicros());
            next = (next + 1) % window.length;
            size = Math.min(size + 1, window.length);
            timeouts = 0;
        } else if (result.reason().equals(Optional.of(FailureReason.TIMEOUT))
                && used.compareTo(configured) < 0) {
            timeouts++;
        }
    }
}
