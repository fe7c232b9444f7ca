package dev.pharos.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The writer fields of a snapshot, and a snapshot of a version that has none. */
class VantageSnapshotJsonTest {
    @Test
    void anOlderPeersSnapshotWithoutWriterFieldsStillParsesAndSaysNothing() throws Exception {
        String older =
                """
                {"vantage":"vp2","instance":"run-a","startedAt":"2026-05-04T08:00:00Z",
                 "round":7,"now":"2026-05-04T08:00:10Z","abstaining":false,
                 "targets":{"europe/lb/ipv4":{"vote":"UP","since":"2026-05-04T08:00:01Z",
                 "ageMs":120}}}
                """;
        VantageSnapshot s = Json.MAPPER.readValue(older, VantageSnapshot.class);
        assertThat(s.round()).isEqualTo(7);
        assertThat(s.actuates()).isNull();
        assertThat(s.writer()).isNull();
        assertThat(s.writes()).isFalse();
    }

    @Test
    void aWriterAnnouncesItselfAndItsTerm() throws Exception {
        VantageSnapshot s =
                new VantageSnapshot(
                        "vp1",
                        "run-b",
                        Instant.EPOCH,
                        1,
                        Instant.EPOCH,
                        false,
                        Map.of(),
                        true,
                        42L,
                        null);
        String json = Json.MAPPER.writeValueAsString(s);
        assertThat(json).contains("\"actuates\":true", "\"writer\":42");
        assertThat(Json.MAPPER.readValue(json, VantageSnapshot.class)).isEqualTo(s);

        VantageSnapshot none =
                new VantageSnapshot(
                        "vp1",
                        "run-b",
                        Instant.EPOCH,
                        1,
                        Instant.EPOCH,
                        false,
                        Map.of(),
                        false,
                        null,
                        null);
        assertThat(Json.MAPPER.writeValueAsString(none))
                .contains("\"actuates\":false")
                .doesNotContain("writer");
    }
}
