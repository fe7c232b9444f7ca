package dev.pharos.actuator.linode.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the emulator knows per token (by the {@code Authorization} header it came in): which tokens
 * are valid, the per-token request limit (Linode counts per user, in fixed windows: every thread
 * and every instance that sends the token shares it), and when each token was told to come back
 * (Retry-After), so that a request before then is flagged as an early retry. Not thread-safe: the
 * emulator holds its lock around every call.
 */
final class TokenTraffic {
    private final Set<String> valid = new LinkedHashSet<>();

    /** Per token: when it was last answered 429, and until when it was told to wait. */
    private final Map<String, Instant[]> told = new HashMap<>();

    private final Map<String, long[]> windows = new HashMap<>();
    private final List<LinodeEmulator.EarlyRetry> early = new ArrayList<>();
    private int limit;
    private Duration window = Duration.ofMinutes(1);
    private Instant stormUntil = Instant.MIN;

    TokenTraffic(String token) {
        valid.add("Bearer " + token);
    }

    void allow(String token) {
        valid.add("Bearer " + token);
    }

    void revoke(String token) {
        valid.remove("Bearer " + token);
    }

    boolean authorized(String header) {
        return header != null && valid.contains(header);
    }

    /** At most {@code requests} per {@code window} per token; 0: no limit. */
    void limit(int requests, Duration window) {
        this.limit = requests;
        this.window = window;
        windows.clear();
    }

    /** Every token's limit is spent until {@code until} (someone else used it up). */
    void storm(Instant until) {
        stormUntil = until;
    }

    /** Flags the request if its token was told to wait past {@code now}. */
    void arrived(String header, String method, String path, Instant now) {
        Instant[] t = told.get(key(header));
        if (t != null && now.isBefore(t[1])) {
            early.add(
                    new LinodeEmulator.EarlyRetry(
                            method,
                            path,
                            now,
                            Duration.between(now, t[1]),
                            Duration.between(t[0], now)));
        }
    }

    /**
     * Counts the request against its token's window; when the window is full, the Retry-After in
     * seconds (until the window ends, at least 1) to answer 429 with, and nothing is counted.
     */
    Optional<Integer> overLimit(String header, Instant now) {
        if (now.isBefore(stormUntil)) {
            long left = Duration.between(now, stormUntil).toMillis();
            return Optional.of((int) Math.max(1, (left + 999) / 1000));
        }
        if (limit <= 0) {
            return Optional.empty();
        }
        long ms = window.toMillis();
        long index = now.toEpochMilli() / ms;
        long[] w = windows.computeIfAbsent(key(header), k -> new long[] {index, 0});
        if (w[0] != index) {
            w[0] = index;
            w[1] = 0;
        }
        if (w[1] >= limit) {
            long left = (index + 1) * ms - now.toEpochMilli();
            return Optional.of((int) Math.max(1, (left + 999) / 1000));
        }
        w[1]++;
        return Optional.empty();
    }

    /** The token was answered 429 with this Retry-After. */
    void toldToWait(String header, Instant now, int seconds) {
        Instant until = now.plusSeconds(seconds);
        told.merge(
                key(header),
                new Instant[] {now, until},
                (a, b) -> a[1].isAfter(b[1]) ? new Instant[] {b[0], a[1]} : b);
    }

    List<LinodeEmulator.EarlyRetry> earlyRetries() {
        return List.copyOf(early);
    }

    void clear() {
        early.clear();
        told.clear();
        windows.clear();
    }

    private static String key(String header) {
        return header == null ? "" : header;
    }
}
