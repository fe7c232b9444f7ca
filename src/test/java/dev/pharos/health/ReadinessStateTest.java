package dev.pharos.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Topology;
import dev.pharos.observation.OwnObservations;
import dev.pharos.quorum.QuorumStatus;
import dev.pharos.reconcile.Actuators;
import dev.pharos.reconcile.PipelineState;
import dev.pharos.testing.TestTopology;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness judged on a given pipeline snapshot, without reading the pipeline again. */
class ReadinessStateTest {
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
    }
}
