package dev.pharos.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    static final ObjectMapper JSON = dev.pharos.testing.Json.MAPPER;

    @TempDir Path dir;
    final MutableClock clock = MutableClock.atEpoch();

    private Journal open() {
        return new Journal(dir, "vp1", clock, JSON, 1000);
    }

    @Test
    void everyEventIsOneJsonLineOnDiskWhenAppendReturns() throws Exception {
        try (Journal j = open()) {
            j.append(
                    EventType.VERDICT_CHANGED,
                    Severity.WARNING,
                    "eu",
                    "eu/lb/ipv4",
                    "down",
                    Map.of("down", 2));
            List<String> lines = Files.readAllLines(dir.resolve("journal.jsonl"));
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0))
                    .contains(
                            "\"seq\":1",
                            "\"type\":\"VERDICT_CHANGED\"",
                            "\"region\":\"eu\"",
                            "\"down\":2");
        }
    }

    @Test
    void sequenceNumbersContinueAfterARestart() {
        try (Journal j = open()) {
            j.append(EventType.STARTED, Severity.INFO, null, null, "a", Map.of());
            j.append(EventType.STOPPED, Severity.INFO, null, null, "b", Map.of());
        }
        try (Journal j = open()) {
            assertThat(j.lastSeq()).isEqualTo(2);
            assertThat(j.append(EventType.STARTED, Severity.INFO, null, null, "c", Map.of()).seq())
                    .isEqualTo(3);
            assertThat(j.page(e -> true, Long.MAX_VALUE, 10))
                    .extracting(JournalEvent::message)
                    .containsExactly("c", "b", "a");
        }
    }

    @Test
    void anApplyIntentWithoutOutcomeIsRecordedAsInterruptedOnOpen() {
        try (Journal j = open()) {
            j.append(
                    EventType.APPLY_INTENT,
                    Severity.INFO,
                    null,
                    null,
                    "applying",
                    Map.of("actuator", "rfc2136"));
        }
        try (Journal j = open()) {
            List<JournalEvent> last = j.page(e -> true, Long.MAX_VALUE, 1);
            assertThat(last.get(0).type()).isEqualTo(EventType.APPLY_INTERRUPTED);
            assertThat(last.get(0).data()).containsEntry("intent", 1L);
        }
        try (Journal j = open()) {
            // already recorded: not recorded twice
            assertThat(j.lastSeq()).isEqualTo(2);
        }
    }

    @Test
    void anApplyWithItsOutcomeIsNotInterrupted() {
        try (Journal j = open()) {
            j.append(
                    EventType.APPLY_INTENT,
                    Severity.INFO,
                    null,
                    null,
                    "applying",
                    Map.of("actuator", "rfc2136"));
            j.append(
                    EventType.APPLY_OK,
                    Severity.INFO,
                    null,
                    null,
                    "applied",
                    Map.of("actuator", "rfc2136"));
        }
        try (Journal j = open()) {
            assertThat(j.lastSeq()).isEqualTo(2);
        }
    }

    @Test
    void aTornLastLineIsSkippedAndTheJournalGoesOn() throws Exception {
        try (Journal j = open()) {
            j.append(EventType.STARTED, Severity.INFO, null, null, "a", Map.of());
        }
        Files.writeString(
                dir.resolve("journal.jsonl"),
                "{\"seq\":2,\"ti",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (Journal j = open()) {
            JournalEvent e = j.append(EventType.STARTED, Severity.INFO, null, null, "b", Map.of());
            assertThat(e.seq()).isEqualTo(2);
            assertThat(j.since(x -> true, 0, 10))
                    .extracting(JournalEvent::message)
                    .containsExactly("a", "b");
        }
    }

    @Test
    void pagesFilterByRegionAndTypeAndReachBeyondTheMemoryTail() {
        try (Journal j = new Journal(dir, "vp1", clock, JSON, 5)) {
            for (int i = 1; i <= 30; i++) {
                j.append(
                        i % 2 == 0 ? EventType.VERDICT_CHANGED : EventType.REGION_STATE_CHANGED,
                        Severity.INFO,
                        i % 3 == 0 ? "eu" : "us",
                        null,
                        "e" + i,
                        Map.of());
            }
            List<JournalEvent> eu = j.page(e -> "eu".equals(e.region()), Long.MAX_VALUE, 100);
            assertThat(eu)
                    .extracting(JournalEvent::seq)
                    .containsExactly(30L, 27L, 24L, 21L, 18L, 15L, 12L, 9L, 6L, 3L);
            List<JournalEvent> page2 = j.page(e -> true, 20, 3);
            assertThat(page2).extracting(JournalEvent::seq).containsExactly(19L, 18L, 17L);
            List<JournalEvent> tail = j.since(e -> e.type() == EventType.VERDICT_CHANGED, 24, 10);
            assertThat(tail).extracting(JournalEvent::seq).containsExactly(26L, 28L, 30L);
            assertThat(j.since(e -> true, 0, 4))
                    .extracting(JournalEvent::seq)
                    .containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void anInterruptedWriterDoesNotBreakTheJournal() {
        try (Journal j = open()) {
            Thread.currentThread().interrupt();
            try {
                j.append(
                        EventType.STARTED,
                        Severity.INFO,
                        null,
                        null,
                        "while interrupted",
                        Map.of());
            } finally {
                Thread.interrupted();
            }
            j.append(EventType.STOPPED, Severity.INFO, null, null, "after", Map.of());
            assertThat(j.since(e -> true, 0, 10)).hasSize(2);
        }
    }
}
