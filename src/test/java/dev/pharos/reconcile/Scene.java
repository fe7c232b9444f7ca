package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorMetrics;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.actuator.lb.RelayMetrics;
import dev.pharos.config.Topology;
import dev.pharos.decision.Decider;
import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.decision.RelayDecision;
import dev.pharos.journal.Event;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.testing.Json;
import dev.pharos.testing.MutableClock;
import dev.pharos.testing.TestTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scene of the reconcile tests: two regions with relays and a round-robin name, a journal on a
 * test clock, and loops on a {@link ManualScheduler}.
 */
final class Scene implements AutoCloseable {
    static final Topology TOPOLOGY =
            TestTopology.node("vp1")
                    .region("europe", r -> r.ipv4("127.0.1.1").relay("127.0.1.21").fallback("apac"))
                    .region("apac", r -> r.ipv4("127.0.2.1").relay("127.0.2.21").fallback("europe"))
                    .roundRobin("cdn.example.test")
                    .dns("none")
                    .zone("example.test")
                    .topology();
    static final Duration RESYNC = Duration.ofSeconds(30);

    final MutableClock clock = MutableClock.atEpoch();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final Journal journal;

    Scene(Path dir) {
        journal = new Journal(dir, "vp1", clock, Json.MAPPER, 1000);
    }

    ReconcileLoop<DnsStep> dns(DnsProvider provider, ActuatorMode mode) {
        return dns(provider, mode, Optional.of(RESYNC));
    }

    ReconcileLoop<DnsStep> dns(DnsProvider provider, ActuatorMode mode, Optional<Duration> resync) {
        // verified inside the round: the journal reads in order
        return dns(provider, mode, resync, Runnable::run);
    }

    /**
     * @param verifyOn where verification runs; null: the step's own thread, as in production
     */
    ReconcileLoop<DnsStep> dns(
            DnsProvider provider,
            ActuatorMode mode,
            Optional<Duration> resync,
            java.util.concurrent.Executor verifyOn) {
        return new ReconcileLoop<>(
                new DnsStep(
                        provider,
                        ManagedRecords.owned(TOPOLOGY),
                        Duration.ofSeconds(1),
                        journal,
                        new ActuatorMetrics(new SimpleMeterRegistry()),
                        clock,
                        verifyOn),
                new LoopSettings(mode, resync),
                journal,
                clock,
                scheduler);
    }

    ReconcileLoop<RelayStep> relays(FakeRelays relays, ActuatorMode mode) {
        return new ReconcileLoop<>(
                new RelayStep(
                        TOPOLOGY,
                        relays,
                        journal,
                        new RelayMetrics(TOPOLOGY, new SimpleMeterRegistry()),
                        new ActuatorMetrics(new SimpleMeterRegistry()),
                        clock),
                new LoopSettings(mode, Optional.of(RESYNC)),
                journal,
                clock,
                scheduler);
    }

    /** Both regions in DNS, no relay on: what the decision stage makes of no verdicts at all. */
    static DesiredState allIn() {
        return Decider.decide(TOPOLOGY, Map.of(), DecisionMemory.empty(), Instant.EPOCH).desired();
    }

    /** The records of {@link #allIn}, with europe's relay forwarding to apac, or off. */
    static DesiredState relaying(boolean europeToApac) {
        RelayDecision europe =
                new RelayDecision(
                        "europe",
                        europeToApac ? Optional.of("apac") : Optional.empty(),
                        europeToApac ? "europe is RELAYING" : "europe is HEALTHY");
        RelayDecision apac = new RelayDecision("apac", Optional.empty(), "apac is HEALTHY");
        return new DesiredState(
                allIn().records(), Map.of("europe", europe, "apac", apac), List.of(), false);
    }

    List<JournalEvent> events() {
        return journal.since(e -> true, 0, 1000);
    }

    List<Event> typed() {
        return events().stream().map(JournalEvent::event).toList();
    }

    @Override
    public void close() {
        journal.close();
    }
}
