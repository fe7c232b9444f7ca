package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMetrics;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.InMemoryDnsProvider;
import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.Topology;
import dev.pharos.decision.Decider;
import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.testing.Json;
import dev.pharos.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An apply whose answer was lost went through after all: the next run finds nothing to change, and
 * says that the failures are over (so the incident they opened is resolved).
 */
class DnsReconcilerRecoveryTest {
    @TempDir Path dir;
    private final MutableClock clock = MutableClock.atEpoch();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private Journal journal;

    @AfterEach
    void stop() {
        executor.shutdownNow();
        if (journal != null) {
            journal.close();
        }
    }

    @Test
    void aFailedApplyThatWentThroughIsReportedAsRecoveredOnTheNextRun() {
        Topology topology =
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
        journal = new Journal(dir, "vp1", clock, Json.MAPPER, 100);
        InMemoryDnsProvider lossy =
                new InMemoryDnsProvider("lossy") {
                    private boolean lost;

                    @Override
                    public synchronized void apply(DnsPlan plan) throws ActuatorException {
                        super.apply(plan);
                        if (!lost) {
                            lost = true;
                            throw ActuatorException.retryable("answer lost", null);
                        }
                    }
                };
        DnsReconciler r =
                new DnsReconciler(
                        lossy,
                        ManagedRecords.owned(topology),
                        ActuatorMode.APPLY,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30),
                        journal,
                        new ActuatorMetrics(new SimpleMeterRegistry()),
                        clock,
                        executor);
        r.desire(
                Decider.decide(topology, Map.of(), DecisionMemory.empty(), clock.instant())
                        .desired(),
                Map.of());

        assertThat(r.runOnce()).isEqualTo(DnsReconciler.Outcome.RETRYABLE_ERROR);
        assertThat(r.runOnce()).isEqualTo(DnsReconciler.Outcome.NO_CHANGES);
        assertThat(r.runOnce()).isEqualTo(DnsReconciler.Outcome.NO_CHANGES);

        assertThat(journal.since(e -> true, 0, 100))
                .extracting(JournalEvent::type)
                .containsExactly(
                        EventType.APPLY_INTENT, EventType.APPLY_FAILED, EventType.APPLY_OK);
        JournalEvent ok = journal.since(e -> e.type() == EventType.APPLY_OK, 0, 1).get(0);
        assertThat(ok.message())
                .isEqualTo("lossy answers again after 1 failed attempts; nothing left to apply");
        assertThat(ok.data()).containsEntry("actuator", "lossy").containsEntry("recovered", true);
    }
}
