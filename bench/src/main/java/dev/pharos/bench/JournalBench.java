package dev.pharos.bench;

import dev.pharos.journal.Journal;
import dev.pharos.journal.PipelineEvent.VerdictChanged;
import dev.pharos.journal.VerdictEvidence;
import dev.pharos.observation.Health;
import dev.pharos.testing.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The journal's write cost per event (bench/journal/run.sh): N appends of a typical event (a
 * verdict change with its evidence), each written and fsynced, in a data directory on the disk
 * under test. Prints median, p99 and max microseconds per event and events per second.
 *
 * <p>Usage: JournalBench DIR N
 */
public final class JournalBench {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args[0]), "journal-bench");
        int n = Integer.parseInt(args[1]);
        VerdictEvidence verdict =
                new VerdictEvidence(
                        Map.of(), Health.DOWN, 0, 2, 3, 2, "DOWN: 2 of 3 vantage points, fall=2");
        Optional<String> europe = Optional.of("europe");
        long[] micros = new long[n];
        try (Journal j = new Journal(dir, "vp1", Clock.systemUTC(), Json.MAPPER, 1000)) {
            for (int i = 0; i < 200; i++) { // warm-up
                j.append(new VerdictChanged("europe/lb/ipv4", europe, verdict, "warm"));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                j.append(
                        new VerdictChanged(
                                "europe/lb/ipv4",
                                europe,
                                verdict,
                                "europe/lb/ipv4 UP -> DOWN: DOWN: 2 of 3 vantage points, fall=2"));
                micros[i] = (System.nanoTime() - s) / 1000;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long bytes = Files.size(dir.resolve("journal.jsonl"));
            Arrays.sort(micros);
            System.out.printf(
                    "events=%d median_us=%d p99_us=%d max_us=%d events_per_s=%.0f bytes_per_event=%d%n",
                    n,
                    micros[n / 2],
                    micros[(int) (n * 0.99)],
                    micros[n - 1],
                    n / secs,
                    bytes / (n + 200));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
