package dev.pharos.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Topology;
import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.PeerEvent.PeerRefused;
import dev.pharos.observation.ObservationMetrics;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.PeerRefusal;
import dev.pharos.testing.Json;
import dev.pharos.testing.MutableClock;
import dev.pharos.testing.TestTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal counted, at most one journal event a minute per caller (injected clock). */
class PeerRefusalsTest {
    @TempDir Path dir;

    private final MutableClock clock = MutableClock.atEpoch();
    private final Topology topology = TestTopology.vp1OfThree().topology();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Journal journal;

    private PeerRefusals refusals() {
        journal = new Journal(dir, "vp1", clock, Json.MAPPER, 100);
        ObservationMetrics metrics =
                new ObservationMetrics(
                        topology, registry, new PeerObservations(topology, clock), clock);
        return new PeerRefusals(metrics, journal, clock, Runnable::run);
    }

    @AfterEach
    void close() {
        if (journal != null) {
            journal.close();
        }
    }

    private double count(String caller, String reason) {
        return registry.get("pharos_peer_refused_total")
                .tags("caller", caller, "reason", reason)
                .counter()
                .count();
    }

    private List<PeerRefused> journaled() {
        return journal.since(e -> e.event().type() == EventType.PEER_REFUSED, 0, 100).stream()
                .map(JournalEvent::event)
                .map(PeerRefused.class::cast)
                .toList();
    }

    @Test
    void everyRefusalIsCountedAndJournaledAtMostOnceAMinutePerCaller() throws Exception {
        PeerRefusals r = refusals();
        PeerRefusal forged = new PeerRefusal(PeerRefusal.Reason.VANTAGE, "vp3 as vp2");
        for (int i = 0; i < 5; i++) {
            r.refused("vp2", forged);
            clock.advance(Duration.ofSeconds(10));
        }
        r.refused("vp3", new PeerRefusal(PeerRefusal.Reason.ROUND, "round jumps"));
        assertThat(count("vp2", "vantage")).isEqualTo(5.0);
        assertThat(count("vp3", "round")).isEqualTo(1.0);
        assertThat(journaled()).extracting(PeerRefused::caller).containsExactly("vp2", "vp3");
        clock.advance(Duration.ofSeconds(10));
        // a minute after the first: the next one is journaled with the four held back
        r.refused("vp2", forged);
        assertThat(journaled()).hasSize(3);
        PeerRefused last = journaled().get(2);
        assertThat(last.caller()).isEqualTo("vp2");
        assertThat(last.refused()).isEqualTo(5);
        assertThat(last.message())
                .isEqualTo(
                        "refused a peer request from vp2 (vantage): vp3 as vp2; 5 refused since"
                                + " the last event");
        assertThat(count("vp2", "vantage")).isEqualTo(6.0);
        assertThat(Files.readString(journal.file())).contains("\"reason\":\"vantage\"");
    }

    @Test
    void aTokenThatNamesNoPeerCountsAsUnknown() {
        PeerRefusals r = refusals();
        r.refused(
                ObservationMetrics.UNKNOWN_CALLER,
                new PeerRefusal(PeerRefusal.Reason.TOKEN, "a bearer token that names no peer"));
        r.refused("vp9", new PeerRefusal(PeerRefusal.Reason.TOKEN, "not configured"));
        assertThat(count("unknown", "token")).isEqualTo(2.0);
    }
}
