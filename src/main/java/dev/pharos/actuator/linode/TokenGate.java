package dev.pharos.actuator.linode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When Linode next accepts a request with one token: a 429 seen by any thread (the DNS reconciler,
 * the relay reconciler, the NodeBalancer watch) pauses every request on that token until its
 * Retry-After has passed. There is one gate per token and API base URL in this process, shared by
 * every {@link LinodeClient} built with it; the registry keeps a digest of the token, never the
 * token. Another process (another Pharos instance) has gates of its own: see docs/LINODE.md on
 * sharing a token between instances.
 */
final class TokenGate {
    private static final Map<String, TokenGate> GATES = new ConcurrentHashMap<>();

    private Instant until = Instant.MIN;

    private TokenGate() {}

    /** The gate of this token at this API. */
    static TokenGate of(String baseUrl, String token) {
        return GATES.computeIfAbsent(digest(baseUrl + "\n" + token), k -> new TokenGate());
    }

    /** Linode asked this token to wait until {@code t}; an earlier pause is extended, never cut. */
    synchronized void pauseUntil(Instant t) {
        if (t.isAfter(until)) {
            until = t;
        }
    }

    /** How long until a request may go (zero: now), rounded up to the millisecond. */
    synchronized Duration remaining(Instant now) {
        if (!now.isBefore(until)) {
            return Duration.ZERO;
        }
        long nanos = Duration.between(now, until).toNanos();
        return Duration.ofMillis((nanos + 999_999) / 1_000_000);
    }

    private static String digest(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
