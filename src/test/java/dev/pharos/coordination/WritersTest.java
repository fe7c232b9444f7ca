package dev.pharos.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Topology;
import dev.pharos.journal.Event;
import dev.pharos.journal.EventType;
import dev.pharos.journal.PipelineEvent.WritersWrong;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.VantageSnapshot;
import dev.pharos.observation.WriterRole;
import dev.pharos.testing.MutableClock;
import dev.pharos.testing.TestTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Exactly one writer: every instance announces whether it writes, and each counts itself and its
 * reachable peers (injected clock, stale-after 3 s).
 */
class WritersTest {
    private final MutableClock clock = MutableClock.atEpoch();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static Topology rfc2136(boolean actuate) {
        TestTopology t =
                TestTopology.vp1OfThree()
                        .quorum("stale-after", "3s")
                        .roundRobin("cdn.example.test")
                        .zone("example.test")
                        .dns("rfc2136")
                        .set("pharos.dns.rfc2136.server", "127.0.0.1:5300")
                        .set("pharos.dns.rfc2136.tsig-key-name", "k")
                        .env("PHAROS_DNS_RFC2136_TSIG_SECRET", "c2VjcmV0");
        return (actuate ? t.actuate() : t).topology();
    }

    private static WriterRole role(boolean writes) {
        return new WriterRole() {
            @Override
            public boolean actuates() {
                return writes;
            }

            @Override
            public OptionalLong term() {
                return OptionalLong.empty();
            }
        };
    }

    private static VantageSnapshot snapshot(String vantage, long round, Boolean actuates) {
        return new VantageSnapshot(
                vantage,
                "run-" + vantage,
                java.time.Instant.EPOCH,
                round,
                java.time.Instant.EPOCH,
                false,
                Map.of(),
                actuates,
                null,
                null);
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void twoWritersAreWrongEverywhereAndSaySo() {
        Topology topology = rfc2136(true);
        PeerObservations peers = new PeerObservations(topology, clock);
        Writers writers =
                new Writers(topology, role(true), peers, new CoordinationMetrics(registry));
        assertThat(gauge("pharos_writers")).as("before the first count").isEqualTo(-1);

        peers.accept(snapshot("vp2", 1, true), PeerObservations.Via.PULL);
        peers.accept(snapshot("vp3", 1, false), PeerObservations.Via.PULL);
        Optional<Event> e = writers.judge(clock.instant());

        assertThat(e).get().isInstanceOf(WritersWrong.class);
        assertThat(e.get().type()).isEqualTo(EventType.WRITERS_WRONG);
        assertThat(((WritersWrong) e.get()).writers()).containsExactly("vp1", "vp2");
        assertThat(writers.latest().flatMap(WriterCheck::problem))
                .contains(
                        "2 vantage points write to the external actuators (vp1, vp2); exactly one"
                                + " must");
        assertThat(gauge("pharos_writers")).isEqualTo(2);
        assertThat(gauge("pharos_writers_expected")).isEqualTo(1);
        assertThat(gauge("pharos_writer")).isEqualTo(1);
        assertThat(writers.judge(clock.instant())).as("journaled once").isEmpty();

        // vp2 stops saying it writes: one writer, right again
        peers.accept(snapshot("vp2", 2, false), PeerObservations.Via.PUSH);
        Optional<Event> ok = writers.judge(clock.instant());
        assertThat(ok).get().extracting(Event::type).isEqualTo(EventType.WRITERS_OK);
        assertThat(ok.get().message())
                .isEqualTo("one vantage point writes to the external actuators: vp1");
        assertThat(writers.latest().flatMap(WriterCheck::problem)).isEmpty();
        assertThat(gauge("pharos_writers")).isEqualTo(1);
        assertThat(writers.judge(clock.instant())).isEmpty();
    }

    @Test
    void noWriterWhileAnExternalProviderIsConfiguredIsWrongAndNamesWhoCannotBeSeen() {
        Topology topology = rfc2136(false);
        PeerObservations peers = new PeerObservations(topology, clock);
        Writers writers =
                new Writers(topology, role(false), peers, new CoordinationMetrics(registry));
        peers.accept(snapshot("vp2", 1, false), PeerObservations.Via.PULL);
        peers.accept(snapshot("vp3", 1, true), PeerObservations.Via.PULL);
        assertThat(writers.judge(clock.instant())).isEmpty();

        // the writer vp3 goes silent (killed): after stale-after, nobody writes
        clock.advance(Duration.ofSeconds(2));
        peers.accept(snapshot("vp2", 2, false), PeerObservations.Via.PULL);
        clock.advance(Duration.ofMillis(1500));
        Optional<Event> e = writers.judge(clock.instant());
        assertThat(e).get().extracting(Event::type).isEqualTo(EventType.WRITERS_WRONG);
        assertThat(e.get().message())
                .isEqualTo(
                        "no vantage point writes to the external actuators: DNS and relays do not"
                                + " follow the verdicts (unreachable: vp3)");
        assertThat(gauge("pharos_writers")).isZero();
        assertThat(gauge("pharos_writer")).isZero();

        // from none to two is a new kind of wrong: journaled again
        peers.accept(snapshot("vp2", 3, true), PeerObservations.Via.PULL);
        peers.accept(snapshot("vp3", 2, true), PeerObservations.Via.PULL);
        assertThat(writers.judge(clock.instant()))
                .get()
                .extracting(Event::message)
                .isEqualTo(
                        "2 vantage points write to the external actuators (vp2, vp3); exactly one"
                                + " must");
    }

    @Test
    void withoutAnExternalProviderNobodyIsExpectedToWrite() {
        Topology embedded =
                TestTopology.vp1OfThree()
                        .actuate()
                        .roundRobin("cdn.example.test")
                        .zone("example.test")
                        .topology();
        assertThat(embedded.externalActuator()).isFalse();
        Coordinator coordinator = new Coordinator(embedded);
        assertThat(coordinator.actuates())
                .as("node.actuate without an external actuator writes nowhere")
                .isFalse();
        PeerObservations peers = new PeerObservations(embedded, clock);
        Writers writers =
                new Writers(embedded, coordinator, peers, new CoordinationMetrics(registry));
        assertThat(writers.judge(clock.instant())).isEmpty();
        assertThat(writers.latest().flatMap(WriterCheck::problem)).isEmpty();
        assertThat(gauge("pharos_writers_expected")).isZero();
    }

    @Test
    void dryRunExpectsNoWriterAndNodeActuateIsTheWriterWithoutCoordination() {
        assertThat(new Coordinator(rfc2136(true)).actuates()).isTrue();
        assertThat(new Coordinator(rfc2136(true)).term()).isEmpty();
        assertThat(new Coordinator(rfc2136(false)).actuates()).isFalse();
        Topology dryRun =
                TestTopology.vp1OfThree()
                        .actuate()
                        .roundRobin("cdn.example.test")
                        .zone("example.test")
                        .dns("rfc2136")
                        .set("pharos.dns.rfc2136.server", "127.0.0.1:5300")
                        .set("pharos.dns.rfc2136.tsig-key-name", "k")
                        .env("PHAROS_DNS_RFC2136_TSIG_SECRET", "c2VjcmV0")
                        .policy("dry-run", true)
                        .topology();
        assertThat(Writers.expected(dryRun)).isFalse();
        assertThat(new Coordinator(dryRun).actuates()).isFalse();
    }

    @Test
    void aPeerOfAnOlderVersionSaysNothingAndIsNamedWhenNobodyWrites() {
        WriterCheck check =
                WriterCheck.of(
                        "vp1",
                        false,
                        java.util.List.of(
                                new WriterCheck.Peer(
                                        "vp2",
                                        true,
                                        Optional.of(
                                                new PeerObservations.Received(
                                                        snapshot("vp2", 1, null),
                                                        java.time.Instant.EPOCH,
                                                        PeerObservations.Via.PULL)))),
                        true);
        assertThat(check.silent()).containsExactly("vp2");
        assertThat(check.problem())
                .contains(
                        "no vantage point writes to the external actuators: DNS and relays do not"
                                + " follow the verdicts (not saying, an older version: vp2)");
    }
}
