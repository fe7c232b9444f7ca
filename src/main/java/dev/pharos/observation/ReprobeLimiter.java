package dev.pharos.observation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most one re-probe per target per interval, by the injected clock. Pure apart from its map of
 * the last time each target was let through; the keys are configured target ids (callers drop
 * unknown ids first), so the map is bounded by the configuration.
 */
public final class ReprobeLimiter {
    private final Clock clock;
    private final Duration interval;
    private final Map<String, Instant> last = new ConcurrentHashMap<>();

    public ReprobeLimiter(Clock clock, Duration interval) {
        this.clock = clock;
        this.interval = interval;
    }

    /**
     * Whether a re-probe of this target may go now; if so, the interval starts again from now. A
     * clock that steps backwards does not block a target for longer than the interval.
     */
    public boolean tryAcquire(String targetId) {
        Instant now = clock.instant();
        AtomicBoolean granted = new AtomicBoolean();
        last.compute(
                targetId,
                (k, previous) -> {
                    if (previous == null
                            || !now.isBefore(previous.plus(interval))
                            || now.isBefore(previous.minus(interval))) {
                        granted.set(true);
                        return now;
                    }
                    return previous;
                });
        return granted.get();
    }
}
