package dev.pharos.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Topology;
import dev.pharos.coordination.CoordinationMetrics;
import dev.pharos.coordination.Coordinator;
import dev.pharos.coordination.Writers;
import dev.pharos.journal.FailingDisk;
import dev.pharos.journal.Journal;
import dev.pharos.journal.PipelineEvent;
import dev.pharos.journal.StateStore;
import dev.pharos.observation.OwnObservations;
import dev.pharos.observation.PeerObservations;
import dev.pharos.quorum.QuorumStatus;
import dev.pharos.reconcile.Actuators;
import dev.pharos.reconcile.PipelineState;
import dev.pharos.testing.Json;
import dev.pharos.testing.TestTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness judged on a given pipeline snapshot, without reading the pipeline again. */
class ReadinessStateTest {
    @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

    private static final Topology TOPOLOGY =
            TestTopology.node("vp1")
                    .region("europe", "127.0.1.1")
                    .roundRobin("cdn.example.test")
                    .zone("example.test")
                    .topology();

    private static PipelineState state(boolean warm, int rounds, QuorumStatus quorum) {
        return new PipelineState(
                rounds, Instant.EPOCH, Map.of(), Map.of(), quorum, warm, rounds, null, null, null);
    }

    @Test
    void warmUpAndQuorumAreReadFromTheSnapshotGivenAlone() {
        ReadinessState readiness = new ReadinessState();
        readiness.observations = new OwnObservations(TOPOLOGY);
        readiness.actuators = new Actuators();
        readiness.journal = new Journal(dir, "vp1", Clock.systemUTC(), Json.MAPPER, 100);
        readiness.store = new StateStore(dir, Json.MAPPER);
        // no pipeline: judging a given snapshot must not read another one
        readiness.pipeline = null;
        QuorumStatus held = new QuorumStatus(true, 1, 1, 1, List.of(), Instant.EPOCH);
        QuorumStatus lost = new QuorumStatus(false, 1, 2, 3, List.of("vp2", "vp3"), Instant.EPOCH);

        assertThat(readiness.unmet(state(false, 2, held)))
                .containsExactly(
                        "first probe round not done", "warming up (2 rounds with quorum so far)");
        assertThat(readiness.unmet(state(true, 3, held)))
                .containsExactly("first probe round not done");
        assertThat(readiness.unmet(state(true, 3, lost)))
                .containsExactly(
                        "first probe round not done",
                        "quorum lost: 1 of 3 vantage points reachable, 2 needed");
        assertThat(readiness.notes(state(true, 3, held))).isEmpty();
    }

    @Test
    void abstainingVantagePointsAreANoteUntilTooFewVote() {
        ReadinessState readiness = new ReadinessState();
        readiness.observations = new OwnObservations(TOPOLOGY);
        readiness.actuators = new Actuators();
        readiness.journal = new Journal(dir, "vp1", Clock.systemUTC(), Json.MAPPER, 100);
        readiness.store = new StateStore(dir, Json.MAPPER);
        QuorumStatus one =
                new QuorumStatus(true, 3, 2, 3, List.of(), List.of("vp2"), Instant.EPOCH);
        QuorumStatus all =
                new QuorumStatus(
                        false, 3, 2, 3, List.of(), List.of("vp1", "vp2", "vp3"), Instant.EPOCH);
        assertThat(readiness.notes(state(true, 3, one)))
                .containsExactly("abstaining (all canaries down, votes not counted): vp2");
        assertThat(readiness.unmet(state(true, 3, one)))
                .containsExactly("first probe round not done");
        assertThat(readiness.unmet(state(true, 3, all)))
                .contains(
                        "quorum lost: 3 of 3 vantage points reachable, 3 of them abstaining (vp1,"
                                + " vp2, vp3), 2 voting needed");
    }

    @Test
    void aJournalThatCannotBeWrittenMakesTheInstanceNotReadyAndSaysWhy() {
        ReadinessState readiness = new ReadinessState();
        readiness.observations = new OwnObservations(TOPOLOGY);
        readiness.actuators = new Actuators();
        readiness.store = new StateStore(dir, Json.MAPPER);
        QuorumStatus held = new QuorumStatus(true, 1, 1, 1, List.of(), Instant.EPOCH);
        try (Journal journal = new Journal(dir, "vp1", Clock.systemUTC(), Json.MAPPER, 100)) {
            readiness.journal = journal;
            FailingDisk.fill(journal);
            journal.append(new PipelineEvent.Stopped("while full"));

            assertThat(readiness.unmet(state(true, 3, held)))
                    .anySatisfy(
                            u ->
                                    assertThat(u)
                                            .startsWith("journal cannot be written since ")
                                            .contains("No space left on device")
                                            .contains("1 events wait in memory, 0 dropped"));

            FailingDisk.heal(journal);
            journal.flush();
            assertThat(readiness.unmet(state(true, 3, held)))
                    .noneSatisfy(u -> assertThat(u).contains("journal"));
        }
    }

    @Test
    void aWrongNumberOfWritersIsADetail() {
        ReadinessState readiness = new ReadinessState();
        readiness.observations = new OwnObservations(TOPOLOGY);
        readiness.actuators = new Actuators();
        readiness.journal = new Journal(dir, "vp1", Clock.systemUTC(), Json.MAPPER, 100);
        readiness.store = new StateStore(dir, Json.MAPPER);
        Topology rfc2136 =
                TestTopology.vp1OfThree()
                        .roundRobin("cdn.example.test")
                        .zone("example.test")
                        .dns("rfc2136")
                        .set("pharos.dns.rfc2136.server", "127.0.0.1:5300")
                        .set("pharos.dns.rfc2136.tsig-key-name", "k")
                        .env("PHAROS_DNS_RFC2136_TSIG_SECRET", "c2VjcmV0")
                        .topology();
        readiness.writers =
                new Writers(
                        rfc2136,
                        new Coordinator(rfc2136),
                        new PeerObservations(rfc2136, Clock.systemUTC()),
                        new CoordinationMetrics(new SimpleMeterRegistry()));
        QuorumStatus held = new QuorumStatus(true, 1, 1, 1, List.of(), Instant.EPOCH);
        assertThat(readiness.unmet(state(true, 3, held)))
                .as("not counted yet")
                .containsExactly("first probe round not done");
        readiness.writers.judge(Instant.EPOCH);
        assertThat(readiness.unmet(state(true, 3, held)))
                .containsExactly(
                        "first probe round not done",
                        "writers: no vantage point writes to the external actuators: DNS and"
                                + " relays do not follow the verdicts (unreachable: vp2, vp3)");
    }
}
