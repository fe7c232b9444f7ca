package dev.pharos.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.journal.PipelineEvent.Started;
import dev.pharos.journal.PipelineEvent.Stopped;
import dev.pharos.testing.Json;
import dev.pharos.testing.MutableClock;
import dev.pharos.testing.SmallFilesystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal whose disk fails (full, EIO): appends never throw, the events wait in memory and are
 * written in order when the disk works again, and what a failed write left never spoils a line.
 */
class JournalWriteFailureTest {
    @TempDir Path dir;
    final MutableClock clock = MutableClock.atEpoch();

    private Journal open(Path at) {
        return new Journal(at, "vp1", clock, Json.MAPPER, 1000);
    }

    private static final Journal.LineWriter FULL = FailingDisk.FULL;

    private static List<Long> seqsOnDisk(Path at) {
        try (Journal j = new Journal(at, "reader", MutableClock.atEpoch(), Json.MAPPER, 1000)) {
            return j.since(e -> true, 0, 10_000).stream()
                    .filter(e -> e.type() != EventType.APPLY_INTERRUPTED)
                    .map(JournalEvent::seq)
                    .toList();
        }
    }

    @Test
    void aFailedWriteNeverReachesTheCallerAndIsWrittenInOrderOnceTheDiskWorks() throws Exception {
        try (Journal j = open(dir)) {
            j.append(new Started(List.of("vp1"), "before"));
            j.writer = FULL;
            JournalEvent during = j.append(new Stopped("during 1"));
            j.append(new Stopped("during 2"));
            Journal.Health h = j.health();
            assertThat(h.failing()).isTrue();
            assertThat(h.error()).hasValue("No space left on device");
            assertThat(h.unwritten()).isEqualTo(2);
            assertThat(h.writeFailures()).isGreaterThanOrEqualTo(2);
            // readers and listeners see the event all the same
            assertThat(j.page(e -> true, Long.MAX_VALUE, 1))
                    .extracting(JournalEvent::seq)
                    .containsExactly(3L);
            assertThat(during.seq()).isEqualTo(2);

            j.writer = java.io.RandomAccessFile::write;
            // the retry with backoff writes them without another append
            await().atMost(Duration.ofSeconds(30)).until(() -> !j.health().failing());
            assertThat(j.health().unwritten()).isZero();
            j.append(new Stopped("after"));
        }
        List<String> lines = Files.readAllLines(dir.resolve("journal.jsonl"));
        assertThat(lines).hasSize(4).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
        assertThat(seqsOnDisk(dir)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void eventsBeyondTheBufferAreDroppedOldestFirstAndCounted() {
        try (Journal j =
                new Journal(
                        dir,
                        "vp1",
                        clock,
                        Json.MAPPER,
                        1000,
                        new Journal.Settings(1 << 20, 2, 3))) {
            j.writer = FULL;
            for (int i = 0; i < 5; i++) {
                j.append(new Stopped("e" + i));
            }
            assertThat(j.health().dropped()).isEqualTo(2);
            assertThat(j.health().unwritten()).isEqualTo(3);
            j.writer = java.io.RandomAccessFile::write;
            assertThat(j.flush().failing()).isFalse();
        }
        assertThat(seqsOnDisk(dir)).containsExactly(3L, 4L, 5L);
    }

    @Test
    void aTornLastLineFromACrashDoesNotSpoilTheNextEvent() throws Exception {
        try (Journal j = open(dir)) {
            j.append(new Started(List.of("vp1"), "a"));
        }
        Files.writeString(
                dir.resolve("journal.jsonl"),
                "{\"seq\":2,\"ti",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (Journal j = open(dir)) {
            j.append(new Stopped("b"));
        }
        // after a restart the event written after the torn line is still there
        try (Journal j = open(dir)) {
            assertThat(j.since(x -> true, 0, 10))
                    .extracting(JournalEvent::message)
                    .containsExactly("a", "b");
        }
    }

    @Test
    void aFullRealFilesystemStallsNothingAndLosesNothingOnceItHasRoomAgain() throws Exception {
        Path mountPoint = Files.createDirectory(dir.resolve("mnt"));
        try (SmallFilesystem fs = SmallFilesystem.mount(mountPoint, 256)) {
            Path data = fs.root().resolve("data");
            AtomicBoolean heard = new AtomicBoolean();
            try (Journal j = open(data)) {
                j.addListener(e -> heard.set(e.message().equals("while full 50")));
                j.append(new Started(List.of("vp1"), "before"));
                fs.fill("filler");
                for (int i = 1; i <= 50; i++) {
                    j.append(new Stopped("while full " + i));
                }
                assertThat(heard).isTrue();
                assertThat(j.health().failing()).isTrue();
                assertThat(j.health().error())
                        .hasValueSatisfying(m -> assertThat(m).contains("No space left on device"));
                // the journal's last page had room for the first few
                assertThat(j.health().unwritten()).isPositive();

                Files.delete(fs.root().resolve("filler"));
                await().atMost(Duration.ofSeconds(30)).until(() -> !j.health().failing());
                j.append(new Stopped("after"));
            }
            assertThat(seqsOnDisk(data))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 52).boxed().toList());
            assertThat(Files.readAllLines(data.resolve("journal.jsonl")))
                    .allSatisfy(l -> assertThat(l).startsWith("{\"seq\":").endsWith("}"));
        }
    }
}
