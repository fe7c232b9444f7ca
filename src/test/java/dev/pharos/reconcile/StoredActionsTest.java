package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.decision.Drain;
import dev.pharos.journal.StateStore;
import dev.pharos.observation.Hlc;
import dev.pharos.observation.OperatorAction;
import dev.pharos.testing.Json;
import dev.pharos.testing.TestTopology;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A drain saved before actions were shared is not lost on upgrade: it becomes a drain action. */
class StoredActionsTest {
    private static final Instant T = Instant.parse("2026-05-04T10:00:00Z");

    @TempDir Path dir;

    @Test
    void drainsSavedByAnOlderVersionBecomeDrainActionsOfThisVantagePoint() {
        StateStore store = new StateStore(dir, Json.MAPPER);
        Drain old = new Drain("europe", "kernel upgrade", T, T.plusSeconds(3600), "admin");
        store.update(s -> s.withDrains(List.of(old)));
        StoredActions stored =
                new StoredActions(
                        TestTopology.node("vp1").region("europe", "127.0.1.1").topology(),
                        new StateStore(dir, Json.MAPPER));
        assertThat(stored.saved())
                .containsExactly(
                        new OperatorAction(
                                "drain/europe",
                                new Hlc(T.toEpochMilli(), 0, "vp1"),
                                false,
                                "europe",
                                "kernel upgrade",
                                T,
                                T.plusSeconds(3600),
                                "admin"));
    }
}
