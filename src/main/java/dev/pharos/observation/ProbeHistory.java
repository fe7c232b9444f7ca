package dev.pharos.observation;

import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This vantage point's own probes of every target over the last hour, for the console's charts: one
 * {@link Ring} per target of {@link #BUCKETS} buckets of {@link #BUCKET} each (probes, failed
 * probes, the sum and the maximum of the successful probes' latency), in fixed-size primitive
 * arrays allocated once at start-up, so the cost does not grow with time or probe rate (7.2 KiB per
 * target; {@code bench/history/run.sh} measures it). Times come from the injected {@link Clock};
 * nothing is persisted (a restart starts an empty hour).
 */
@Singleton
public class ProbeHistory {
    /** The width of one bucket. */
    public static final Duration BUCKET = Duration.ofSeconds(10);

    /** Buckets kept: one hour. */
    public static final int BUCKETS = 360;

    private final Clock clock;
    private final Map<String, Ring> rings;

    @Inject
    public ProbeHistory(Topology topology, Clock clock) {
        this(topology.targets().stream().map(Target::id).toList(), clock);
    }

    /** A history of these targets (in this order). */
    public ProbeHistory(List<String> targetIds, Clock clock) {
        this.clock = clock;
        Map<String, Ring> m = new LinkedHashMap<>();
        targetIds.forEach(id -> m.put(id, new Ring()));
        this.rings = java.util.Collections.unmodifiableMap(m);
    }

    /**
     * One probe of a target, now (by the clock). A target not configured is ignored.
     *
     * @param latencyMillis the probe's total time; counted for successful probes only (a failed
     *     probe's time is its timeout or how fast it was refused, not the target's latency)
     */
    public void record(String targetId, boolean success, double latencyMillis) {
        Ring r = rings.get(targetId);
        if (r != null) {
            r.record(bucketOf(clock.instant()), success, latencyMillis);
        }
    }

    /** The last hour of every target, buckets aligned on {@link #BUCKET} boundaries. */
    public Window window() {
        long now = bucketOf(clock.instant());
        long first = now - BUCKETS + 1;
        List<Series> all = new ArrayList<>(rings.size());
        rings.forEach((id, r) -> all.add(r.series(id, first)));
        return new Window(start(first), start(now + 1), all);
    }

    /** The last hour of one target, if it is configured. */
    public Optional<Window> window(String targetId) {
        Ring r = rings.get(targetId);
        if (r == null) {
            return Optional.empty();
        }
        long now = bucketOf(clock.instant());
        long first = now - BUCKETS + 1;
        return Optional.of(
                new Window(start(first), start(now + 1), List.of(r.series(targetId, first))));
    }

    private static long bucketOf(Instant t) {
        return Math.floorDiv(t.toEpochMilli(), BUCKET.toMillis());
    }

    private static Instant start(long bucket) {
        return Instant.ofEpochMilli(bucket * BUCKET.toMillis());
    }

    /**
     * The buckets from {@code from} (inclusive) to {@code to} (exclusive), oldest first; every
     * series has {@link #BUCKETS} entries.
     */
    public record Window(Instant from, Instant to, List<Series> targets) {}

    /**
     * One target's buckets, oldest first, index {@code i} covering {@code from + i * BUCKET}.
     *
     * @param probes probes started in the bucket (0: none, the bucket is a gap)
     * @param failed of them, failed
     * @param meanMillis the successful probes' mean latency, or NaN without any
     * @param maxMillis the slowest successful probe, or NaN without any
     */
    public record Series(
            String id, int[] probes, int[] failed, float[] meanMillis, float[] maxMillis) {}

    /**
     * One target's hour: bucket {@code b} lives in slot {@code b % BUCKETS}, which also says which
     * bucket it holds now, so a slot left from an older hour is recognised and reset rather than
     * cleared by a timer. One writer (the target's probe chain) and the API as reader: the monitor
     * is never contended for long.
     */
    static final class Ring {
        private final long[] bucket = new long[BUCKETS];
        private final short[] probes = new short[BUCKETS];
        private final short[] failed = new short[BUCKETS];
        private final float[] sum = new float[BUCKETS];
        private final float[] max = new float[BUCKETS];

        Ring() {
            java.util.Arrays.fill(bucket, Long.MIN_VALUE);
        }

        synchronized void record(long b, boolean success, double ms) {
            int s = (int) Math.floorMod(b, (long) BUCKETS);
            if (bucket[s] != b) {
                if (bucket[s] > b) {
                    return; // the clock stepped back: keep the newer bucket
                }
                bucket[s] = b;
                probes[s] = 0;
                failed[s] = 0;
                sum[s] = 0;
                max[s] = 0;
            }
            if (probes[s] == Short.MAX_VALUE) {
                return; // saturated (32,767 probes in one bucket)
            }
            probes[s]++;
            if (success) {
                float v = (float) Math.max(0, ms);
                sum[s] += v;
                max[s] = Math.max(max[s], v);
            } else {
                failed[s]++;
            }
        }

        synchronized Series series(String id, long first) {
            int[] p = new int[BUCKETS];
            int[] f = new int[BUCKETS];
            float[] mean = new float[BUCKETS];
            float[] mx = new float[BUCKETS];
            for (int i = 0; i < BUCKETS; i++) {
                long b = first + i;
                int s = (int) Math.floorMod(b, (long) BUCKETS);
                int ok = bucket[s] == b ? probes[s] - failed[s] : 0;
                if (bucket[s] == b) {
                    p[i] = probes[s];
                    f[i] = failed[s];
                }
                mean[i] = ok > 0 ? sum[s] / ok : Float.NaN;
                mx[i] = ok > 0 ? max[s] : Float.NaN;
            }
            return new Series(id, p, f, mean, mx);
        }
    }
}
