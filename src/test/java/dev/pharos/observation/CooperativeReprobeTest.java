package dev.pharos.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Topology;
import dev.pharos.testing.MutableClock;
import dev.pharos.testing.TestTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sender's and the receiver's rate limits per target, on an injected clock. */
class CooperativeReprobeTest {
    private static final String EU = "europe/lb/ipv4";
    private static final String APAC = "apac/lb/ipv4";

    private final MutableClock clock = MutableClock.atEpoch();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ReprobeRequest> sent = new ArrayList<>();

    /** The exchange, minus the network: records what would go to every peer. */
    private final class RecordingExchange extends PeerExchange {
        @Override
        public List<String> reprobe(ReprobeRequest request) {
            sent.add(request);
            return List.of("vp2", "vp3");
        }
    }

    private static TestTopology cluster() {
        return TestTopology.node("vp1")
                .region("europe", "127.0.1.1")
                .region("apac", "127.0.2.1")
                .set("pharos.api.peer-token", "vp1-token")
                .peer("vp2", "http://127.0.9.2:8080")
                .peer("vp3", "http://127.0.9.3:8080");
    }

    private CooperativeReprobe reprobe(Topology topology) {
        ObservationMetrics metrics =
                new ObservationMetrics(
                        topology, registry, new PeerObservations(topology, clock), clock);
        return new CooperativeReprobe(topology, new RecordingExchange(), metrics, clock);
    }

    private double count(String direction, String outcome) {
        return registry.get("pharos_reprobes_total")
                .tags("direction", direction, "outcome", outcome)
                .counter()
                .count();
    }

    @Test
    void aFirstFailureAsksEveryPeerInItsOwnNameAtMostOncePerSendIntervalPerTarget() {
        CooperativeReprobe r = reprobe(cluster().topology());
        r.firstFailure(EU, "connection refused");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).by()).isEqualTo("vp1");
        assertThat(sent.get(0).targets()).containsExactly(EU);
        assertThat(sent.get(0).reason()).isEqualTo("failed at vp1: connection refused");

        r.firstFailure(EU, "connection refused");
        clock.advance(Duration.ofMillis(999));
        r.firstFailure(EU, "connection refused");
        assertThat(sent).hasSize(1);
        assertThat(count("sent", "rate_limited")).isEqualTo(2.0);

        // another target has its own budget
        r.firstFailure(APAC, "timed out");
        assertThat(sent).hasSize(2);

        clock.advance(Duration.ofMillis(1));
        r.firstFailure(EU, "connection refused");
        assertThat(sent).hasSize(3);
        assertThat(count("sent", "sent")).isEqualTo(3.0);
    }

    @Test
    void theSendIntervalIsConfigurable() {
        CooperativeReprobe r = reprobe(cluster().quorum("reprobe.send-interval", "5s").topology());
        r.firstFailure(EU, "refused");
        clock.advance(Duration.ofSeconds(4));
        r.firstFailure(EU, "refused");
        assertThat(sent).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        r.firstFailure(EU, "refused");
        assertThat(sent).hasSize(2);
    }

    @Test
    void peersRequestsAreTakenAtMostOncePerReceiveIntervalPerTarget() {
        CooperativeReprobe r = reprobe(cluster().topology());
        assertThat(r.mayTake(EU)).isTrue();
        // a second peer's request for the same failure, moments later
        clock.advance(Duration.ofMillis(3));
        assertThat(r.mayTake(EU)).isFalse();
        assertThat(r.mayTake(APAC)).isTrue();
        clock.advance(Duration.ofMillis(496));
        assertThat(r.mayTake(EU)).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(r.mayTake(EU)).isTrue();
        assertThat(count("received", "rate_limited")).isEqualTo(2.0);
    }

    @Test
    void aClockThatStepsBackDoesNotBlockATargetForLongerThanTheInterval() {
        CooperativeReprobe r = reprobe(cluster().topology());
        assertThat(r.mayTake(EU)).isTrue();
        clock.advance(Duration.ofHours(-1));
        assertThat(r.mayTake(EU)).isTrue();
    }

    @Test
    void nothingIsSentWhenDisabledOrWithoutPeers() {
        reprobe(cluster().quorum("reprobe.enabled", false).topology()).firstFailure(EU, "refused");
        reprobe(TestTopology.node("vp1").region("europe", "127.0.1.1").topology())
                .firstFailure(EU, "refused");
        assertThat(sent).isEmpty();
    }
}
