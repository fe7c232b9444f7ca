package dev.pharos.bench;

import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.PipelineEvent.VerdictChanged;
import dev.pharos.journal.VerdictEvidence;
import dev.pharos.observation.Health;
import dev.pharos.testing.Json;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Append latency while the events API reads the journal (bench/journal/run.sh readers): a journal
 * of EVENTS events in rotated, compressed segments (written straight to disk, then opened), then N
 * appends (each written and fsynced) with no reader, then N appends while READERS threads page the
 * journal in a loop as {@code GET /api/v1/events?region=...} does with a filter that matches
 * nothing, so every read goes through every segment.
 *
 * <p>Usage: JournalReadersBench DIR N EVENTS READERS
 */
public final class JournalReadersBench {
    private static final VerdictEvidence VERDICT =
            new VerdictEvidence(Map.of(), Health.DOWN, 0, 2, 3, 2, "DOWN: 2 of 3 vantage points");

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args[0]), "journal-readers");
        int n = Integer.parseInt(args[1]);
        long events = Long.parseLong(args[2]);
        int readers = Integer.parseInt(args[3]);
        long segmentBytes = 64L << 20;
        Journal.Settings settings = new Journal.Settings(segmentBytes, 1000, 10_000);
        try {
            long t = System.nanoTime();
            write(dir, events, segmentBytes);
            long bytes;
            try (var files = Files.list(dir)) {
                bytes = files.mapToLong(p -> p.toFile().length()).sum();
            }
            try (Journal j =
                    new Journal(dir, "vp1", Clock.systemUTC(), Json.MAPPER, 20_000, settings)) {
                // wait for the background compression of the segments written above
                while (j.segments().stream().anyMatch(p -> !p.toString().endsWith(".gz"))) {
                    Thread.sleep(200);
                }
                long compressed;
                try (var files = Files.list(dir)) {
                    compressed = files.mapToLong(p -> p.toFile().length()).sum();
                }
                System.out.printf(
                        "journal events=%d segments=%d raw_mb=%d on_disk_mb=%d prepared_s=%.0f%n",
                        j.lastSeq(),
                        j.segments().size(),
                        bytes >> 20,
                        compressed >> 20,
                        (System.nanoTime() - t) / 1e9);
                Predicate<JournalEvent> nowhere = e -> "nowhere".equals(e.region());
                long r0 = System.nanoTime();
                int found = j.page(nowhere, Long.MAX_VALUE, 50).size();
                System.out.printf(
                        "one read over every segment: %d ms (found %d)%n",
                        (System.nanoTime() - r0) / 1_000_000, found);

                appends(j, 200, "warm");
                report("readers=0", appends(j, n, "no readers"), 0, 0);

                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong reads = new AtomicLong();
                AtomicLong readNanos = new AtomicLong();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < readers; i++) {
                    Thread th =
                            new Thread(
                                    () -> {
                                        while (!stop.get()) {
                                            long s = System.nanoTime();
                                            j.page(nowhere, Long.MAX_VALUE, 50);
                                            readNanos.addAndGet(System.nanoTime() - s);
                                            reads.incrementAndGet();
                                        }
                                    });
                    th.setDaemon(true);
                    th.start();
                    threads.add(th);
                }
                Thread.sleep(500); // the readers are reading
                long[] with = appends(j, n, "with readers");
                // at least one full read overlapped the appends
                while (reads.get() == 0) {
                    Thread.sleep(100);
                }
                stop.set(true);
                for (Thread th : threads) {
                    th.join();
                }
                report(
                        "readers=" + readers,
                        with,
                        reads.get(),
                        readNanos.get() / Math.max(1, reads.get()) / 1_000_000);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    /** The journal as Pharos writes it, straight to disk: full segments, then the active file. */
    private static void write(Path dir, long events, long segmentBytes) throws Exception {
        Instant time = Instant.parse("2026-01-01T00:00:00Z");
        long first = 1;
        long size = 0;
        Path active = dir.resolve("journal.jsonl");
        BufferedWriter out = Files.newBufferedWriter(active, StandardCharsets.UTF_8);
        for (long seq = 1; seq <= events; seq++) {
            String region = seq % 3 == 0 ? "europe" : seq % 3 == 1 ? "apac" : "americas";
            JournalEvent e =
                    new JournalEvent(
                            seq,
                            time.plusMillis(seq),
                            "vp1",
                            new VerdictChanged(
                                    region + "/lb/ipv4",
                                    Optional.of(region),
                                    VERDICT,
                                    region + "/lb/ipv4 UP -> DOWN: DOWN: 2 of 3 vantage points"));
            String line = Json.MAPPER.writeValueAsString(e) + "\n";
            out.write(line);
            size += line.length();
            if (size >= segmentBytes && seq < events) {
                out.close();
                Files.move(active, dir.resolve("journal." + first + "-" + seq + ".jsonl"));
                out = Files.newBufferedWriter(active, StandardCharsets.UTF_8);
                first = seq + 1;
                size = 0;
            }
        }
        out.close();
    }

    private static long[] appends(Journal j, int n, String what) {
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            j.append(
                    new VerdictChanged(
                            "europe/lb/ipv4",
                            Optional.of("europe"),
                            VERDICT,
                            "europe/lb/ipv4 UP -> DOWN: " + what));
            micros[i] = (System.nanoTime() - s) / 1000;
        }
        return micros;
    }

    private static void report(String label, long[] micros, long reads, long readMs) {
        Arrays.sort(micros);
        int n = micros.length;
        System.out.printf(
                "%s appends=%d median_us=%d p99_us=%d max_us=%d reads=%d mean_read_ms=%d%n",
                label, n, micros[n / 2], micros[(int) (n * 0.99)], micros[n - 1], reads, readMs);
    }
}
