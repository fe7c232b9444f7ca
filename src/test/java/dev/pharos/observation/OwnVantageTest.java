package dev.pharos.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.probe.FailureReason;
import dev.pharos.probe.PhaseTimings;
import dev.pharos.probe.ProbeResult;
import dev.pharos.testing.MutableClock;
import dev.pharos.testing.TestTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What this vantage point tells its peers, and when it abstains. */
class OwnVantageTest {
    private static final WriterRole NOT_WRITING =
            new WriterRole() {
                @Override
                public boolean actuates() {
                    return false;
                }

                @Override
                public OptionalLong term() {
                    return OptionalLong.empty();
                }
            };

    private final MutableClock clock = MutableClock.atEpoch();
    private final Topology topology =
            TestTopology.node("vp1")
                    .canary("c1", "127.0.50.1")
                    .canary("c2", "127.0.50.2")
                    .region("europe", "127.0.1.1")
                    .topology();
    private final VoteBook votes = new VoteBook(topology, clock);
    private final OwnObservations observations = new OwnObservations(topology);
    private final OwnVantage own =
            new OwnVantage(topology, votes, observations, clock, NOT_WRITING);

    private void result(String targetId, boolean success) {
        Target t = topology.targetsById().get(targetId);
        Instant at = clock.instant();
        ProbeResult r =
                success
                        ? ProbeResult.ok(
                                targetId,
                                at,
                                "200 OK",
                                PhaseTimings.totalOnly(1500),
                                Optional.of(200),
                                Optional.empty())
                        : ProbeResult.failed(
                                targetId,
                                at,
                                FailureReason.REFUSED,
                                "connection refused",
                                PhaseTimings.totalOnly(400),
                                Optional.empty(),
                                Optional.empty());
        observations.record(t, r);
        votes.record(t, r, at);
    }

    @Test
    void theSnapshotCarriesEveryVoteWithItsAgeAndTheLatestObservation() {
        result("europe/lb/ipv4", true);
        clock.advance(Duration.ofMillis(250));
        VantageSnapshot s = own.snapshot();
        assertThat(s.vantage()).isEqualTo("vp1");
        assertThat(s.instance()).isEqualTo(own.instance());
        assertThat(s.now()).isEqualTo(clock.instant());
        assertThat(s.targets()).containsOnlyKeys("europe/lb/ipv4", "canary/c1", "canary/c2");
        VantageSnapshot.TargetVote lb = s.targets().get("europe/lb/ipv4");
        assertThat(lb.vote()).isEqualTo(Health.UP);
        assertThat(lb.ageMs()).isEqualTo(250);
        assertThat(lb.last()).isEqualTo(new VantageSnapshot.Summary(true, null, "200 OK", 1.5));
        VantageSnapshot.TargetVote c1 = s.targets().get("canary/c1");
        assertThat(c1.vote()).isEqualTo(Health.UNKNOWN);
        assertThat(c1.ageMs()).isNull();
        assertThat(c1.last()).isNull();
    }

    @Test
    void everySnapshotHasAHigherRoundThanTheOneBefore() {
        long first = own.snapshot().round();
        long second = own.snapshot().round();
        assertThat(first).isGreaterThanOrEqualTo(1);
        assertThat(second).isEqualTo(first + 1);
    }

    @Test
    void itAbstainsOnlyWhileEveryCanaryIsDown() {
        for (int i = 0; i < 2; i++) {
            result("canary/c1", false);
        }
        assertThat(own.abstaining()).as("one canary down is just that canary").isFalse();
        for (int i = 0; i < 2; i++) {
            result("canary/c2", false);
        }
        assertThat(own.abstaining()).isTrue();
        assertThat(own.snapshot().abstaining()).isTrue();
        assertThat(own.view(clock.instant()).abstaining()).isTrue();
        assertThat(own.snapshot().targets().get("canary/c2").last().reason()).isEqualTo("REFUSED");
    }
}
