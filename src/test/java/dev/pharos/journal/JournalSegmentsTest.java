package dev.pharos.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.journal.PipelineEvent.Stopped;
import dev.pharos.testing.Json;
import dev.pharos.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal rotates by size into numbered, compressed segments with a retention limit, pages
 * across them, and a reader never holds up a writer.
 */
class JournalSegmentsTest {
    @TempDir Path dir;
    final MutableClock clock = MutableClock.atEpoch();

    private Journal open(int tail, int retain) {
        return new Journal(
                dir, "vp1", clock, Json.MAPPER, tail, new Journal.Settings(2048, retain, 100));
    }

    private static List<Long> seqs(List<JournalEvent> events) {
        return events.stream().map(JournalEvent::seq).toList();
    }

    @Test
    void itRotatesBySizeIntoCompressedNumberedSegmentsAndPagesAcrossThem() throws Exception {
        try (Journal j = open(5, 100)) {
            for (int i = 1; i <= 100; i++) {
                j.append(new Stopped("event " + i));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> j.segments().stream().allMatch(p -> p.toString().endsWith(".gz")));
            assertThat(j.segments()).hasSizeGreaterThan(3);
            // numbered by their first and last sequence numbers, in order, without gaps
            long next = 1;
            for (Path p : j.segments()) {
                String[] range =
                        p.getFileName()
                                .toString()
                                .replaceAll("journal\\.|\\.jsonl\\.gz", "")
                                .split("-");
                assertThat(Long.parseLong(range[0])).isEqualTo(next);
                next = Long.parseLong(range[1]) + 1;
            }
            assertThat(Files.size(dir.resolve("journal.jsonl"))).isLessThan(2048 + 200);

            assertThat(seqs(j.page(e -> true, Long.MAX_VALUE, 1000)))
                    .containsExactlyElementsOf(
                            LongStream.iterate(100, s -> s - 1).limit(100).boxed().toList());
            assertThat(seqs(j.page(e -> e.seq() % 10 == 0, 55, 3))).containsExactly(50L, 40L, 30L);
            assertThat(seqs(j.since(e -> true, 0, 1000)))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
            assertThat(seqs(j.since(e -> e.seq() % 25 == 0, 10, 2))).containsExactly(25L, 50L);
        }
        // after a restart: the sequence goes on, the old pages are still there
        try (Journal j = open(5, 100)) {
            assertThat(j.append(new Stopped("after")).seq()).isEqualTo(101);
            assertThat(seqs(j.page(e -> true, 4, 10))).containsExactly(3L, 2L, 1L);
        }
    }

    @Test
    void theOldestSegmentsGoBeyondTheRetentionLimit() throws Exception {
        try (Journal j = open(5, 2)) {
            for (int i = 1; i <= 100; i++) {
                j.append(new Stopped("event " + i));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    j.segments().size() == 2
                                            && j.segments().stream()
                                                    .allMatch(p -> p.toString().endsWith(".gz")));
            List<Long> all = seqs(j.since(e -> true, 0, 1000));
            assertThat(all).last().isEqualTo(100L);
            assertThat(all.get(0)).isGreaterThan(1L);
            assertThat(all).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".gz")).count()).isEqualTo(2);
        }
    }

    @Test
    void aReaderThatTakesLongNeverHoldsUpAnAppend() throws Exception {
        try (Journal j = open(5, 100)) {
            for (int i = 1; i <= 30; i++) {
                j.append(new Stopped("event " + i));
            }
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // a reader on a selective filter, stopped in the middle of reading the files
            CompletableFuture<List<JournalEvent>> reader =
                    CompletableFuture.supplyAsync(
                            () ->
                                    j.page(
                                            e -> {
                                                if (e.seq() == 3) {
                                                    reading.countDown();
                                                    try {
                                                        release.await();
                                                    } catch (InterruptedException x) {
                                                        Thread.currentThread().interrupt();
                                                    }
                                                }
                                                return e.seq() == 2;
                                            },
                                            Long.MAX_VALUE,
                                            1));
            assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<JournalEvent> append =
                    CompletableFuture.supplyAsync(() -> j.append(new Stopped("while read")));
            assertThat(append.get(30, TimeUnit.SECONDS).seq()).isEqualTo(31);
            release.countDown();
            assertThat(seqs(reader.get(30, TimeUnit.SECONDS))).containsExactly(2L);
        }
    }
}
