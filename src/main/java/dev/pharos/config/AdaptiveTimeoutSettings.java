package dev.pharos.config;

import java.time.Duration;

/**
 * {@code pharos.probe.adaptive-timeout}: each target's probe timeout follows its own observed
 * latency, between {@code floor} and the target's configured timeout.
 *
 * @param enabled off: every probe waits for the configured timeout
 * @param floor the shortest timeout a probe gets
 * @param factor the timeout is this many times the slowest recent successful probe
 * @param samples how many recent successful probes are remembered per target
 */
public record AdaptiveTimeoutSettings(boolean enabled, Duration floor, double factor, int samples) {

    /** Every probe waits for its configured timeout (the content checks' scheduler, tests). */
    public static final AdaptiveTimeoutSettings OFF =
            new AdaptiveTimeoutSettings(false, Duration.ofMillis(200), 4, 20);
}
