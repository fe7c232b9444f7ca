package dev.pharos.testing;

import java.time.Duration;

/**
 * The probe and quorum timings of a test configuration ({@code pharos.probe.*} and {@code
 * pharos.quorum.*}), written out whole by {@link TestTopology#timings}: a test that depends on a
 * timing says so in one place.
 */
public record Timings(
        Duration interval,
        Duration timeout,
        Duration connectTimeout,
        Duration recheck,
        int rise,
        int fall,
        Duration exchangeInterval,
        Duration exchangeTimeout,
        Duration staleAfter,
        int warmupRounds) {

    /**
     * Probes and evaluations every 200 ms, two results to change a vote, one warm-up round: a state
     * change shows within a second or two, which is what the in-process tests wait for.
     */
    public static final Timings FAST =
            new Timings(ms(200), ms(150), ms(100), ms(50), 2, 2, ms(200), ms(100), ms(1000), 1);

    /** Pharos's defaults (interval 1 s, fall 2, rise 3, recheck 200 ms, timeout 700 ms). */
    public static final Timings DEFAULTS =
            new Timings(ms(1000), ms(700), ms(500), ms(200), 3, 2, ms(1000), ms(500), ms(3000), 2);

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    public Timings withRise(int r) {
        return new Timings(
                interval,
                timeout,
                connectTimeout,
                recheck,
                r,
                fall,
                exchangeInterval,
                exchangeTimeout,
                staleAfter,
                warmupRounds);
    }

    public Timings withWarmupRounds(int w) {
        return new Timings(
                interval,
                timeout,
                connectTimeout,
                recheck,
                rise,
                fall,
                exchangeInterval,
                exchangeTimeout,
                staleAfter,
                w);
    }

    /** Another probe timeout; the connect timeout is cut to it if longer (it may not exceed it). */
    public Timings withTimeout(Duration t) {
        return new Timings(
                interval,
                t,
                connectTimeout.compareTo(t) > 0 ? t : connectTimeout,
                recheck,
                rise,
                fall,
                exchangeInterval,
                exchangeTimeout,
                staleAfter,
                warmupRounds);
    }
}
