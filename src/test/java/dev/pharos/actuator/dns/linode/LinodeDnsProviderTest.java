package dev.pharos.actuator.dns.linode;

import static dev.pharos.decision.RegionState.DEAD;
import static dev.pharos.decision.RegionState.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.actuator.linode.LinodeAppResource;
import dev.pharos.actuator.linode.emulator.Fault;
import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.reconcile.DnsStep;
import dev.pharos.reconcile.Outcome;
import dev.pharos.reconcile.ReconcileLoop;
import dev.pharos.testing.Json;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dns.provider: linode} through the real client and the reconcile loop, against the emulator
 * (in BIND's place in the RFC 2136 test). Every test ends with no request or response outside
 * Linode's API description and no duplicate row.
 */
@QuarkusTest
@QuarkusTestResource(value = LinodeAppResource.class, restrictToAnnotatedClass = true)
class LinodeDnsProviderTest {
    static final String TOKEN = "dns-test-token-4a9f-never-print-me";

    @TempDir Path data;
    @Inject @Any Instance<DnsProvider> providers;

    LinodeEmulator emulator;
    LinodeZone zone;
    Journal journal;
    ScheduledExecutorService executor;

    @BeforeEach
    void start() {
        emulator = LinodeEmulator.start(LinodeSpec.require(), TOKEN, "127.0.85.3");
        zone = new LinodeZone(emulator);
        journal = new Journal(data, "vp1", zone.clock, Json.MAPPER, 1000);
        executor = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (emulator != null) {
                assertThat(emulator.violations()).as("outside Linode's API description").isEmpty();
                assertThat(zone.foreignNow())
                        .as("rows Pharos does not own")
                        .isEqualTo(zone.foreign);
                for (String name : List.of("cdn", "r1", LinodeZone.ZONE)) {
                    assertThat(zone.a(name))
                            .as("duplicate rows of " + name)
                            .doesNotHaveDuplicates();
                }
            }
        } finally {
            executor.shutdownNow();
            journal.close();
            emulator.close();
        }
    }

    private ReconcileLoop<DnsStep> reconciler() {
        return reconciler(TOKEN, 500);
    }

    private ReconcileLoop<DnsStep> reconciler(String token, int pageSize) {
        ReconcileLoop<DnsStep> r =
                zone.reconciler(zone.provider(token, pageSize), journal, executor);
        r.desire(zone.allHealthy(), Map.of());
        return r;
    }

    /** Runs the loop until it applies (at most a few times, as its retry timer would). */
    private static Outcome converge(ReconcileLoop<DnsStep> r) {
        Outcome o = r.runOnce();
        for (int i = 0; i < 4 && o == Outcome.RETRYABLE_ERROR; i++) {
            o = r.runOnce();
        }
        return o;
    }

    private void assertFailedOver() {
        assertThat(zone.a("cdn")).containsExactly("127.0.2.1", "127.0.3.1");
        assertThat(zone.a("r1")).containsExactly("127.0.2.1");
        assertThat(zone.a(LinodeZone.ZONE)).containsExactly("127.0.2.1");
    }

    @Test
    void theProviderIsTheBeanNamedLinode() {
        Instance<DnsProvider> p = providers.select(NamedLiteral.of("linode"));
        assertThat(p.isResolvable()).isTrue();
        assertThat(p.get().name()).isEqualTo("linode");
    }

    @Test
    void aDeadRegionsRowsAreDeletedAndCreatedAgainAfterHoldDown() {
        ReconcileLoop<DnsStep> r = reconciler();
        // the configured TTL 60 is published as 30, and that counts as in sync
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        emulator.clearCalls();

        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertFailedOver();
        List<LinodeEmulator.Call> failover = emulator.calls();
        // read, 4 row writes (cdn -1, apex -1, r1 +1 then -1), one verification read
        assertThat(zone.writes()).hasSize(4);
        assertThat(failover).hasSize(6);
        System.out.println("linode calls per failover: " + failover.size() + " " + failover);

        r.desire(zone.decide(HEALTHY, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).as("hold-down keeps r1 out").isEqualTo(Outcome.NO_CHANGES);
        zone.clock.advance(Duration.ofSeconds(61));
        r.desire(zone.decide(HEALTHY, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(zone.a("cdn")).containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
        assertThat(zone.a("r1")).containsExactly("127.0.1.1");
        assertThat(zone.a(LinodeZone.ZONE)).containsExactly("127.0.1.1", "127.0.2.1");
        assertThat(zone.ttls("cdn")).containsOnly(30);
        assertThat(journal.since(e -> true, 0, 100))
                .extracting(JournalEvent::type)
                .containsSubsequence(
                        EventType.APPLY_INTENT,
                        EventType.APPLY_OK,
                        EventType.PROPAGATED,
                        EventType.APPLY_INTENT,
                        EventType.APPLY_OK,
                        EventType.PROPAGATED);
    }

    @Test
    void aSecondReconcileMakesNoCallThatChangesAnything() {
        ReconcileLoop<DnsStep> r = reconciler();
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        emulator.clearCalls();
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(zone.writes()).isEmpty();
        // one page of records per idle reconcile
        assertThat(emulator.calls()).hasSize(2);
        System.out.println("linode calls per idle reconcile: 1 " + emulator.calls().get(0));
    }

    @Test
    void aZoneOfMoreThanAHundredRecordsCostsOnePagePerRead() {
        for (int i = 0; i < 120; i++) {
            long id = emulator.addRecord(zone.domain, "A", "host" + i, "127.0.99." + (i + 1), 300);
            zone.foreign.put(
                    id,
                    emulator.rows(zone.domain).stream()
                            .filter(x -> x.id() == id)
                            .findFirst()
                            .orElseThrow());
        }
        int rows = emulator.rows(zone.domain).size();
        int pages = (rows + 24) / 25;
        ReconcileLoop<DnsStep> r = reconciler(TOKEN, 25);
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        emulator.clearCalls();
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertFailedOver();
        long listPages =
                emulator.calls().stream()
                        .filter(c -> c.method().equals("GET") && c.path().endsWith("/records"))
                        .count();
        assertThat(rows).isGreaterThan(100);
        assertThat(pages).isGreaterThan(4);
        // the read and the verification each ask for the managed names only: one page each
        assertThat(listPages).isEqualTo(2L);
    }

    @Test
    void rowsPharosDoesNotOwnAreNeverTouched() {
        ReconcileLoop<DnsStep> r = reconciler();
        r.desire(zone.decide(DEAD, DEAD, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(zone.a("cdn")).containsExactly("127.0.3.1");
        for (LinodeEmulator.Call c : zone.writes()) {
            for (Long id : zone.foreign.keySet()) {
                assertThat(c.path()).doesNotEndWith("/" + id);
            }
        }
        // the foreign rows are compared in stop(): same ids, names, types, targets and TTLs
    }

    @Test
    void rateLimitingIsWaitedOutAndTheChangeStillLands() {
        ReconcileLoop<DnsStep> r = reconciler();
        r.runOnce();
        emulator.inject(Fault.rateLimit(2, 5));
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertFailedOver();
        assertThat(zone.slept).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(emulator.calls()).filteredOn(c -> c.status() == 429).hasSize(2);
    }

    @Test
    void serverErrorsAreRetriedAndTheChangeLands() {
        ReconcileLoop<DnsStep> r = reconciler();
        r.runOnce();
        emulator.inject(Fault.serverError(2));
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertFailedOver();
    }

    @Test
    void aWriteThatKeepsFailingBacksOffAndTheNextRunFinishesTheJob() {
        ReconcileLoop<DnsStep> r = reconciler();
        r.runOnce();
        emulator.inject(Fault.writeFails(4).fromThe(2));
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.RETRYABLE_ERROR);
        assertThat(r.status().consecutiveFailures()).isEqualTo(1);
        assertThat(converge(r)).isEqualTo(Outcome.APPLIED);
        assertFailedOver();
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
    }

    @Test
    void slowAnswersTimeOutAreRetriedAndTheChangeLands() {
        ReconcileLoop<DnsStep> r = reconciler();
        r.runOnce();
        emulator.inject(Fault.slow(1, Duration.ofSeconds(3)));
        emulator.inject(Fault.slow(1, Duration.ofSeconds(3)).fromThe(3));
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(converge(r)).isEqualTo(Outcome.APPLIED);
        assertFailedOver();
        // each slow answer cost one timeout and one backoff (the client's timeout is 1 s here)
        assertThat(zone.slept).filteredOn(d -> d.equals(Duration.ofMillis(500))).hasSize(2);
    }

    @Test
    void droppedConnectionsAreRetriedAndTheChangeLands() {
        ReconcileLoop<DnsStep> r = reconciler();
        r.runOnce();
        emulator.inject(Fault.drop(1));
        emulator.inject(Fault.drop(1).fromThe(3));
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(converge(r)).isEqualTo(Outcome.APPLIED);
        assertFailedOver();
        assertThat(emulator.calls()).filteredOn(c -> c.status() == 0).hasSize(2);
    }

    @Test
    void aCreationAppliedButUnansweredMidChangeLeavesNoDuplicate() {
        ReconcileLoop<DnsStep> r = reconciler();
        r.runOnce();
        // writes: cdn -127.0.1.1, apex -127.0.1.1, r1 +127.0.2.1 (applied, answer lost), ...
        emulator.inject(Fault.writeAppliedThenDropped(1).fromThe(3));
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.RETRYABLE_ERROR);
        // halfway: the alias holds both addresses, never none
        assertThat(zone.a("r1")).containsExactly("127.0.1.1", "127.0.2.1");
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertFailedOver();
        assertThat(emulator.calls().stream().filter(c -> c.method().equals("POST")).count())
                .as("the creation is never repeated")
                .isEqualTo(1);
    }

    @Test
    void aCreationRefusedMidChangeIsMadeByTheNextRun() {
        ReconcileLoop<DnsStep> r = reconciler();
        r.runOnce();
        emulator.inject(Fault.writeFails(1).fromThe(3));
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.RETRYABLE_ERROR);
        assertThat(zone.a("r1"))
                .as("the old row stays until its successor exists")
                .containsExactly("127.0.1.1");
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertFailedOver();
    }

    @Test
    void duplicateRowsAndDriftingTtlsAreTidiedWithoutEmptyingAName() {
        // left by an earlier partial failure, or by hand in the DNS Manager
        emulator.addRecord(zone.domain, "A", "cdn", "127.0.2.1", 30);
        emulator.addRecord(zone.domain, "A", LinodeZone.ZONE, "127.0.2.1", 300);
        long r1 = zone.row("r1").id();
        emulator.setRecordTtl(zone.domain, r1, 300);
        ReconcileLoop<DnsStep> r = reconciler();
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        // what was applied, as journaled before the apply; after it nothing is pending
        assertThat(
                        journal.since(e -> e.type() == EventType.APPLY_INTENT, 0, 100).stream()
                                .map(JournalEvent::message)
                                .reduce((a, b) -> b)
                                .orElseThrow())
                .contains(
                        "cdn.example.test/A remove duplicate rows",
                        "example.test/A remove duplicate rows",
                        "r1.example.test/A ttl 300->30");
        assertThat(r.status().plan()).isEmpty();
        assertThat(zone.a("cdn")).containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
        assertThat(zone.a(LinodeZone.ZONE)).containsExactly("127.0.1.1", "127.0.2.1");
        assertThat(zone.ttls(LinodeZone.ZONE)).containsOnly(30);
        // the TTL is fixed in place: same row, no moment without it
        assertThat(zone.row("r1").id()).isEqualTo(r1);
        assertThat(zone.ttls("r1")).containsExactly(30);
        assertThat(zone.writes())
                .extracting(LinodeEmulator.Call::method)
                .containsExactly("DELETE", "DELETE", "PUT");
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
    }

    @Test
    void aTtlOfThreeHundredIsRewrittenToTheMappedThirtyAndThenLeftAlone() {
        for (LinodeEmulator.Row row : emulator.rows(zone.domain)) {
            if (!zone.foreign.containsKey(row.id())) {
                emulator.setRecordTtl(zone.domain, row.id(), 300);
            }
        }
        ReconcileLoop<DnsStep> r = reconciler();
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(zone.writes()).hasSize(6).allMatch(c -> c.method().equals("PUT"));
        assertThat(zone.ttls("cdn")).containsOnly(30);
        emulator.clearCalls();
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(zone.writes()).isEmpty();
    }

    @Test
    void a401StopsTheActuatorAndRaisesAnEventInsteadOfRetrying() {
        String wrong = "revoked-token-66e1-never-print-me";
        ReconcileLoop<DnsStep> r = reconciler(wrong, 500);
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.PERMANENT_ERROR);
        assertThat(r.stopped()).isTrue();
        assertThat(emulator.calls()).hasSize(1);
        assertThat(r.runOnce()).isEqualTo(Outcome.STOPPED);
        assertThat(emulator.calls()).hasSize(1);
        List<JournalEvent> events = journal.since(e -> true, 0, 100);
        assertThat(events)
                .anyMatch(
                        e -> e.type() == EventType.ACTUATOR_STOPPED && e.message().contains("401"));
        assertThat(r.status().stoppedBecause()).contains("token is missing, wrong or expired");
        assertThat(zone.a("cdn")).hasSize(3);
    }
}
