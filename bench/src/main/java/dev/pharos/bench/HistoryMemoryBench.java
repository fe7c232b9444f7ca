package dev.pharos.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.pharos.api.view.HistoryView;
import dev.pharos.observation.ProbeHistory;
import dev.pharos.testing.MutableClock;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the console's last hour ({@link ProbeHistory}) costs: the heap it holds for N targets, every
 * bucket of the hour filled, measured as the heap in use after a full GC with and without it
 * (MemoryMXBean), several times; and the size of GET /api/v1/history's JSON for them. Prints one
 * line of key=value; run with -XX:+UseSerialGC so that System.gc() is a full collection.
 *
 * <p>Usage: HistoryMemoryBench TARGETS ROUNDS
 */
public final class HistoryMemoryBench {
    private HistoryMemoryBench() {}

    private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
            best = Math.min(best, mem.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    public static void main(String[] args) throws Exception {
        int targets = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < targets; i++) {
            // ids the shape of real ones, made before the baseline: the configuration holds them
            ids.add(String.format("region%03d/lb/ipv4", i));
        }
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long[] deltas = new long[rounds];
        int json = 0;
        for (int r = 0; r < rounds; r++) {
            MutableClock clock = MutableClock.atEpoch();
            long before = usedAfterGc(mem);
            ProbeHistory history = new ProbeHistory(ids, clock);
            // an hour and a bucket: every slot written, the first ones twice (reused)
            for (int b = 0; b <= ProbeHistory.BUCKETS; b++) {
                for (int p = 0; p < 10; p++) {
                    for (String id : ids) {
                        history.record(id, p != 3, 1 + p * 0.7);
                    }
                }
                clock.advance(ProbeHistory.BUCKET);
            }
            clock.advance(Duration.ofSeconds(-1));
            long after = usedAfterGc(mem);
            deltas[r] = after - before;
            if (r == 0) {
                ObjectMapper m =
                        new ObjectMapper()
                                .registerModule(new JavaTimeModule())
                                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
                json = m.writeValueAsBytes(HistoryView.of("vp1", history.window())).length;
            }
            // keep it reachable until measured
            if (history.window("nowhere").isPresent()) {
                throw new IllegalStateException();
            }
        }
        long[] sorted = deltas.clone();
        Arrays.sort(sorted);
        long median = sorted[rounds / 2];
        System.out.printf(
                "targets=%d rounds=%d heap_median_bytes=%d heap_min_bytes=%d heap_max_bytes=%d"
                        + " bytes_per_target=%d json_bytes=%d java=%s%n",
                targets,
                rounds,
                median,
                sorted[0],
                sorted[rounds - 1],
                median / targets,
                json,
                System.getProperty("java.version"));
    }
}
