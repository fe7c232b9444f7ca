package dev.pharos.api.view;

import dev.pharos.observation.ProbeHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * GET /api/v1/history: this vantage point's own probes of each target over the last hour, in
 * buckets of {@code bucketSeconds}; every list has one entry per bucket, oldest first, entry {@code
 * i} covering {@code from + i * bucketSeconds}.
 */
public record HistoryView(
        String node, Instant from, Instant to, long bucketSeconds, List<TargetHistory> targets) {

    /**
     * One target's hour.
     *
     * @param probes probes started in each bucket (0: none)
     * @param failed of them, failed
     * @param meanMs the successful probes' mean total time, null without a successful probe
     * @param maxMs the slowest successful probe, null without one
     */
    public record TargetHistory(
            String id,
            List<Integer> probes,
            List<Integer> failed,
            List<Double> meanMs,
            List<Double> maxMs) {}

    public static HistoryView of(String node, ProbeHistory.Window w) {
        List<TargetHistory> targets = new ArrayList<>(w.targets().size());
        for (ProbeHistory.Series s : w.targets()) {
            targets.add(
                    new TargetHistory(
                            s.id(),
                            ints(s.probes()),
                            ints(s.failed()),
                            ms(s.meanMillis()),
                            ms(s.maxMillis())));
        }
        return new HistoryView(
                node, w.from(), w.to(), ProbeHistory.BUCKET.toSeconds(), List.copyOf(targets));
    }

    private static List<Integer> ints(int[] a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int v : a) {
            l.add(v);
        }
        return l;
    }

    /** Hundredths of a millisecond are plenty, and keep the JSON short. */
    private static List<Double> ms(float[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (float v : a) {
            l.add(Float.isNaN(v) ? null : Math.round(v * 100.0) / 100.0);
        }
        return l;
    }
}
