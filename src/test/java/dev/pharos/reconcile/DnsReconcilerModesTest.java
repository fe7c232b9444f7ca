package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.ActuatorMetrics;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.InMemoryDnsProvider;
import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.Topology;
import dev.pharos.decision.Decider;
import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.journal.DnsEvent.Plan;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.testing.Json;
import dev.pharos.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reconciler that does not apply (dry run, or not the actuating instance) journals each new plan
 * once, says why in its words, and never touches the provider.
 */
class DnsReconcilerModesTest {
    static final Topology TOPOLOGY =
            ConfigFixtures.topology(
                    """
                    pharos:
                      node: {name: vp1}
                      regions:
                        r1: {load-balancer: {ipv4: 127.0.1.1}}
                      records:
                        - {name: cdn.example.test, type: round-robin}
                      dns: {provider: none, zone: example.test}
                    """);

    @TempDir Path dir;
    final MutableClock clock = MutableClock.atEpoch();
    final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    Journal journal;

    @AfterEach
    void stop() {
        executor.shutdownNow();
        if (journal != null) {
            journal.close();
        }
    }

    private DnsReconciler reconciler(InMemoryDnsProvider provider, ActuatorMode mode) {
        journal = new Journal(dir, "vp1", clock, Json.MAPPER, 100);
        DnsReconciler r =
                new DnsReconciler(
                        provider,
                        ManagedRecords.owned(TOPOLOGY),
                        mode,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30),
                        journal,
                        new ActuatorMetrics(new SimpleMeterRegistry()),
                        clock,
                        executor);
        r.desire(
                Decider.decide(TOPOLOGY, Map.of(), DecisionMemory.empty(), clock.instant())
                        .desired(),
                Map.of());
        return r;
    }

    private List<JournalEvent> events() {
        return journal.since(e -> true, 0, 100);
    }

    @Test
    void aDryRunJournalsItsPlanOnceAndAppliesNothing() {
        InMemoryDnsProvider provider = new InMemoryDnsProvider("dry");
        DnsReconciler r = reconciler(provider, ActuatorMode.DRY_RUN);

        assertThat(r.runOnce()).isEqualTo(DnsReconciler.Outcome.DRY_RUN);
        assertThat(r.runOnce()).isEqualTo(DnsReconciler.Outcome.DRY_RUN);

        assertThat(provider.applied()).isEmpty();
        assertThat(events())
                .singleElement()
                .satisfies(e -> assertThat(e.event()).isInstanceOf(Plan.class));
        assertThat(events().get(0).message())
                .isEqualTo("dry run, not applied: cdn.example.test/A +[127.0.1.1]");
        assertThat(r.status().dryRun()).isTrue();
        assertThat(r.status().applying()).isFalse();
    }

    @Test
    void anInstanceThatDoesNotActuateSaysSo() {
        InMemoryDnsProvider provider = new InMemoryDnsProvider("passive");
        DnsReconciler r = reconciler(provider, ActuatorMode.PLAN_ONLY);

        assertThat(r.runOnce()).isEqualTo(DnsReconciler.Outcome.NOT_ACTUATING);

        assertThat(provider.applied()).isEmpty();
        assertThat(events())
                .extracting(JournalEvent::message)
                .containsExactly(
                        "not the actuating instance, not applied: cdn.example.test/A +[127.0.1.1]");
        assertThat(r.status().dryRun()).isFalse();
        assertThat(r.status().applying()).isFalse();
    }

    @Test
    void modesFollowTheSettings() {
        assertThat(ActuatorMode.of(true, false)).isEqualTo(ActuatorMode.APPLY);
        assertThat(ActuatorMode.of(false, false)).isEqualTo(ActuatorMode.PLAN_ONLY);
        assertThat(ActuatorMode.of(true, true)).isEqualTo(ActuatorMode.DRY_RUN);
        assertThat(ActuatorMode.of(false, true)).isEqualTo(ActuatorMode.DRY_RUN);
    }
}
