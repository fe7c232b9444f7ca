package dev.pharos.actuator.linode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: Pharos's own budget of Linode API requests, well under Linode's limits (about 400
 * commands and 200 paginated GETs a minute per account). It refills at {@code perMinute} and holds
 * at most {@code burst} tokens, so no 60-second window ever sees more than {@code burst +
 * perMinute} requests (125 at the default 100 a minute). One budget covers every Linode call of
 * this instance (DNS and NodeBalancers). Time comes from an injected {@link Clock}.
 */
public final class RateBudget {
    private final double perNano;
    private final double burst;
    private final Clock clock;
    private double tokens;
    private Instant last;

    public RateBudget(int perMinute, int burst, Clock clock) {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("perMinute and burst must be at least 1");
        }
        this.perNano = perMinute / 60e9;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.last = clock.instant();
    }

    /** The default shape: a burst of a quarter of a minute's budget. */
    public static RateBudget perMinute(int perMinute, Clock clock) {
        return new RateBudget(perMinute, Math.max(1, perMinute / 4), clock);
    }

    /**
     * Takes one request's token if there is one ({@link Duration#ZERO}); otherwise takes nothing
     * and returns how long until one is there.
     */
    public synchronized Duration tryTake() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano));
    }

    /** The clock the budget counts with; the client measures waits with it too. */
    Clock clock() {
        return clock;
    }

    /** Tokens available now (tests, metrics). */
    public synchronized double available() {
        refill();
        return tokens;
    }

    private void refill() {
        Instant now = clock.instant();
        long nanos = Duration.between(last, now).toNanos();
        if (nanos > 0) {
            tokens = Math.min(burst, tokens + nanos * perNano);
            last = now;
        }
    }
}
