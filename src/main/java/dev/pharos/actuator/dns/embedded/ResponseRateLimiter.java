package dev.pharos.actuator.dns.embedded;

import dev.pharos.config.IpLiterals;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Response rate limiting for UDP, so that a spoofed flood does not turn this server into an
 * amplifier. Each client network (/24 for IPv4, /56 for IPv6: what one customer usually holds) has
 * a token bucket of {@code rate} responses per second, holding one second's worth. Past that, every
 * {@code slip}-th response is sent empty with TC set, so a real client behind a busy network
 * retries over TCP (which a spoofer cannot) and still gets its answer; the rest are dropped. A
 * slipped response is no larger than the query, so it amplifies nothing. TCP is never limited.
 *
 * <p>Time comes from a nanosecond supplier so tests step it by hand.
 */
public final class ResponseRateLimiter {
    /** What to do with one response. */
    public enum Decision {
        SEND,
        DROP,
        SLIP
    }

    /** Networks tracked at most; above this, idle buckets (full again) are forgotten. */
    static final int MAX_TRACKED = 65536;

    private static final long SECOND = 1_000_000_000L;
    private static final long V4_TAG = 1L << 62;

    private final int rate;
    private final int slip;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param rate responses per second per network; 0 turns limiting off
     * @param slip every n-th limited response is slipped; 0 drops them all
     */
    public ResponseRateLimiter(int rate, int slip, LongSupplier nanos) {
        this.rate = rate;
        this.slip = slip;
        this.nanos = nanos;
    }

    public boolean enabled() {
        return rate > 0;
    }

    /** Decides for a response to {@code client} (an IP literal, as the socket reports it). */
    public Decision check(String client) {
        if (rate <= 0) {
            return Decision.SEND;
        }
        Optional<InetAddress> a = IpLiterals.parseAny(client);
        return a.isEmpty() ? Decision.SEND : check(a.get());
    }

    public Decision check(InetAddress client) {
        if (rate <= 0) {
            return Decision.SEND;
        }
        long now = nanos.getAsLong();
        Long key = network(client);
        Bucket b = buckets.get(key);
        if (b == null) {
            if (buckets.size() >= MAX_TRACKED) {
                forgetIdle(now);
            }
            b = buckets.computeIfAbsent(key, k -> new Bucket(rate, now));
        }
        return b.take(now, rate, slip);
    }

    /** Networks currently tracked (tests). */
    int tracked() {
        return buckets.size();
    }

    /** The client's network as a number: /24 for IPv4 (tagged), the first 56 bits for IPv6. */
    static long network(InetAddress client) {
        byte[] b = client.getAddress();
        if (client instanceof Inet4Address) {
            return V4_TAG | ((b[0] & 0xFFL) << 16) | ((b[1] & 0xFFL) << 8) | (b[2] & 0xFFL);
        }
        long key = 0;
        for (int i = 0; i < 7; i++) {
            key = (key << 8) | (b[i] & 0xFFL);
        }
        return key;
    }

    private void forgetIdle(long now) {
        buckets.values().removeIf(b -> b.idleSince(now) >= SECOND);
        if (buckets.size() >= MAX_TRACKED) {
            // a flood from more networks than we track: each new network starts with a full
            // bucket anyway, so forgetting them all loses nothing but memory
            buckets.clear();
        }
    }

    private static final class Bucket {
        private double tokens;
        private long last;
        private long limited;

        Bucket(int rate, long now) {
            this.tokens = rate;
            this.last = now;
        }

        synchronized Decision take(long now, int rate, int slip) {
            if (now > last) {
                tokens = Math.min(rate, tokens + (double) (now - last) * rate / SECOND);
                last = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return Decision.SEND;
            }
            limited++;
            return slip > 0 && limited % slip == 0 ? Decision.SLIP : Decision.DROP;
        }

        synchronized long idleSince(long now) {
            return now - last;
        }
    }
}
