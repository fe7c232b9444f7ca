package dev.pharos.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.Drain;
import dev.pharos.decision.Membership;
import dev.pharos.domain.RecordSet;
import dev.pharos.observation.Health;
import dev.pharos.observation.Hlc;
import dev.pharos.observation.OperatorAction;
import dev.pharos.quorum.Verdict;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir Path dir;
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theOperatorActionsComeBackAfterARestartTombstonesIncluded() {
        StateStore s = new StateStore(dir, JournalTest.JSON);
        OperatorAction drain =
                OperatorAction.drain(
                        "eu", "upgrade", T.plusSeconds(3600), "admin", new Hlc(1000, 2, "vp1"));
        OperatorAction window =
                OperatorAction.maintenance(
                        "a1b2",
                        "us",
                        "switch swap",
                        T.plusSeconds(60),
                        T.plusSeconds(120),
                        "admin",
                        new Hlc(2000, 0, "vp2"));
        OperatorAction cleared = OperatorAction.clear(window, "admin", new Hlc(3000, 0, "vp3"));
        OperatorAction resume = OperatorAction.resume("rfc2136", "admin", new Hlc(4000, 0, "vp1"));
        s.update(x -> x.withActions(List.of(drain, cleared, resume)));
        PersistedState back = new StateStore(dir, JournalTest.JSON).get();
        assertThat(back.actions()).containsExactly(drain, cleared, resume);
        assertThat(back.drains()).isEmpty();
    }

    @Test
    void everythingSavedComesBackAfterARestart() {
        StateStore s = new StateStore(dir, JournalTest.JSON);
        Drain drain = new Drain("eu", "maintenance", T, T.plusSeconds(3600), "admin");
        DecisionMemory memory =
                new DecisionMemory(
                        Map.of("eu/ipv4", new Membership(false, T, Optional.empty())),
                        List.of(new DecisionMemory.Removal("eu", T)),
                        Map.of("us", T));
        Verdict v =
                new Verdict(
                        "eu/lb/ipv4",
                        Health.DOWN,
                        T,
                        0,
                        2,
                        3,
                        2,
                        "DOWN: 2 of 3 vantage points, fall=2");
        RecordSet rs = RecordSet.of("cdn.example.test", "A", 30, List.of("127.0.2.1", "127.0.3.1"));
        s.update(
                x ->
                        x.withDrains(List.of(drain))
                                .withDecision(memory)
                                .withVerdicts(Map.of(v.targetId(), v))
                                .withDesiredRecords(List.of(rs)));
        PersistedState back = new StateStore(dir, JournalTest.JSON).get();
        assertThat(back.drains()).containsExactly(drain);
        assertThat(back.decision()).isEqualTo(memory);
        assertThat(back.verdicts()).containsEntry(v.targetId(), v);
        assertThat(back.desiredRecords()).containsExactly(rs);
        assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }

    @Test
    void aStagedChangeIsWrittenByTheNextUpdateOrFlushNotBefore() {
        StateStore s = new StateStore(dir, JournalTest.JSON);
        Verdict v =
                new Verdict(
                        "eu/lb/ipv4",
                        Health.DOWN,
                        T,
                        0,
                        2,
                        3,
                        2,
                        "DOWN: 2 of 3 vantage points, fall=2");
        s.stage(x -> x.withVerdicts(Map.of(v.targetId(), v)));
        assertThat(s.get().verdicts()).containsEntry(v.targetId(), v);
        assertThat(new StateStore(dir, JournalTest.JSON).get().verdicts()).isEmpty();
        // the next update writes the whole state, the staged verdicts with it
        RecordSet rs = RecordSet.of("cdn.example.test", "A", 30, List.of("127.0.2.1"));
        s.update(x -> x.withDesiredRecords(List.of(rs)));
        PersistedState back = new StateStore(dir, JournalTest.JSON).get();
        assertThat(back.verdicts()).containsEntry(v.targetId(), v);
        assertThat(back.desiredRecords()).containsExactly(rs);

        Verdict up = new Verdict("eu/lb/ipv4", Health.UP, T, 3, 0, 3, 2, "UP: 3 of 3");
        s.stage(x -> x.withVerdicts(Map.of(up.targetId(), up)));
        assertThat(new StateStore(dir, JournalTest.JSON).get().verdicts())
                .containsEntry(v.targetId(), v);
        s.flush();
        assertThat(new StateStore(dir, JournalTest.JSON).get().verdicts())
                .containsEntry(up.targetId(), up);
    }

    @Test
    void aCorruptStateFileStopsStartUpWithAClearMessage() throws Exception {
        Files.writeString(dir.resolve("state.json"), "{ not json");
        assertThatThrownBy(() -> new StateStore(dir, JournalTest.JSON))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("move it aside");
    }

    @Test
    void anUnchangedUpdateDoesNotWrite() throws Exception {
        StateStore s = new StateStore(dir, JournalTest.JSON);
        s.update(x -> x.withDrains(List.of()));
        assertThat(dir.resolve("state.json")).doesNotExist();
    }

    @Test
    void aStateThatCannotBeWrittenIsKeptInMemoryAndWrittenOnceTheDiskWorks() throws Exception {
        StateStore s = new StateStore(dir, JournalTest.JSON);
        Drain drain = new Drain("eu", "maintenance", T, T.plusSeconds(3600), "admin");
        // the temporary file cannot be created: a directory of its name (root or not), not empty
        Files.createDirectory(dir.resolve("state.json.tmp"));
        Files.writeString(dir.resolve("state.json.tmp/in-the-way"), "x");
        PersistedState changed = s.update(x -> x.withDrains(List.of(drain)));

        assertThat(changed.drains()).containsExactly(drain);
        assertThat(s.get().drains()).containsExactly(drain);
        assertThat(s.health().failing()).isTrue();
        assertThat(s.health().error()).isPresent();
        assertThat(new StateStore(dir, JournalTest.JSON).get().drains()).isEmpty();

        Files.delete(dir.resolve("state.json.tmp/in-the-way"));
        Files.delete(dir.resolve("state.json.tmp"));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !s.health().failing());
        assertThat(new StateStore(dir, JournalTest.JSON).get().drains()).containsExactly(drain);
        s.close();
    }

    @Test
    void aFullRealFilesystemKeepsTheStateUntilThereIsRoomAgain() throws Exception {
        Path mountPoint = Files.createDirectory(dir.resolve("mnt"));
        try (dev.pharos.testing.SmallFilesystem fs =
                dev.pharos.testing.SmallFilesystem.mount(mountPoint, 128)) {
            Path data = fs.root().resolve("data");
            StateStore s = new StateStore(data, JournalTest.JSON);
            fs.fill("filler");
            Drain drain = new Drain("eu", "maintenance", T, T.plusSeconds(3600), "admin");
            assertThat(s.update(x -> x.withDrains(List.of(drain))).drains()).containsExactly(drain);
            assertThat(s.health().failing()).isTrue();
            assertThat(s.health().error())
                    .hasValueSatisfying(m -> assertThat(m).contains("No space"));
            assertThat(data.resolve("state.json.tmp")).doesNotExist();

            Files.delete(fs.root().resolve("filler"));
            assertThat(s.flush().failing()).isFalse();
            assertThat(new StateStore(data, JournalTest.JSON).get().drains())
                    .containsExactly(drain);
            s.close();
        }
    }
}
