package dev.pharos.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.decision.RegionState;
import dev.pharos.journal.DnsEvent.ApplyIntent;
import dev.pharos.journal.DnsEvent.ApplyOk;
import dev.pharos.journal.PipelineEvent.RegionStateChanged;
import dev.pharos.journal.PipelineEvent.Started;
import dev.pharos.journal.PipelineEvent.Stopped;
import dev.pharos.journal.PipelineEvent.VerdictChanged;
import dev.pharos.observation.Health;
import dev.pharos.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    static final ObjectMapper JSON = dev.pharos.testing.Json.MAPPER;

    @TempDir Path dir;
    final MutableClock clock = MutableClock.atEpoch();

    private Journal open() {
        return new Journal(dir, "vp1", clock, JSON, 1000);
    }

    private static VerdictChanged verdict(String region, String message) {
        return new VerdictChanged(
                region + "/lb/ipv4",
                Optional.of(region),
                new VerdictEvidence(Map.of(), Health.DOWN, 0, 2, 2, 2, "DOWN: 2 of 2"),
                message);
    }

    private static RegionStateChanged regionState(String region, String message) {
        return new RegionStateChanged(
                region,
                new RegionEvidence(RegionState.DEAD, "load balancer DOWN", Map.of(), Map.of()),
                message);
    }

    private static ApplyIntent intent(String actuator) {
        return new ApplyIntent(actuator, List.of(), Map.of(), "applying");
    }

    @Test
    void everyEventIsOneJsonLineOnDiskWhenAppendReturns() throws Exception {
        try (Journal j = open()) {
            j.append(verdict("eu", "down"));
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
            j.append(new Started(List.of("vp1"), "a"));
            j.append(new Stopped("b"));
        }
        try (Journal j = open()) {
            assertThat(j.lastSeq()).isEqualTo(2);
            assertThat(j.append(new Started(List.of("vp1"), "c")).seq()).isEqualTo(3);
            assertThat(j.page(e -> true, Long.MAX_VALUE, 10))
                    .extracting(JournalEvent::message)
                    .containsExactly("c", "b", "a");
        }
    }

    @Test
    void anApplyIntentWithoutOutcomeIsRecordedAsInterruptedOnOpen() {
        try (Journal j = open()) {
            j.append(intent("rfc2136"));
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
            j.append(intent("rfc2136"));
            j.append(new ApplyOk("rfc2136", List.of(), 12, "applied"));
        }
        try (Journal j = open()) {
            assertThat(j.lastSeq()).isEqualTo(2);
        }
    }

    @Test
    void aLineThisVersionDoesNotUnderstandIsSkippedButItsNumberIsNotReused() throws Exception {
        try (Journal j = open()) {
            j.append(new Started(List.of("vp1"), "a"));
        }
        // a later version's shape: the data this version needs is missing
        Files.writeString(
                dir.resolve("journal.jsonl"),
                "{\"seq\":2,\"time\":\"1970-01-01T00:00:00Z\",\"node\":\"vp1\","
                        + "\"type\":\"DRAIN_SET\",\"severity\":\"WARNING\",\"region\":\"eu\","
                        + "\"message\":\"drained\",\"data\":{\"window\":\"1h\"}}\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (Journal j = open()) {
            assertThat(j.append(new Stopped("b")).seq()).isEqualTo(3);
            assertThat(j.since(x -> true, 0, 10))
                    .extracting(JournalEvent::seq)
                    .containsExactly(1L, 3L);
        }
    }

    @Test
    void aTornLastLineIsSkippedAndTheJournalGoesOn() throws Exception {
        try (Journal j = open()) {
            j.append(new Started(List.of("vp1"), "a"));
        }
        Files.writeString(
                dir.resolve("journal.jsonl"),
                "{\"seq\":2,\"ti",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (Journal j = open()) {
            JournalEvent e = j.append(new Started(List.of("vp1"), "b"));
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
                String region = i % 3 == 0 ? "eu" : "us";
                j.append(i % 2 == 0 ? verdict(region, "e" + i) : regionState(region, "e" + i));
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
                j.append(new Started(List.of("vp1"), "while interrupted"));
            } finally {
                Thread.interrupted();
            }
            j.append(new Stopped("after"));
            assertThat(j.since(e -> true, 0, 10)).hasSize(2);
        }
    }
}
