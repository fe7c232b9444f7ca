package dev.pharos.actuator.dns.linode;

import static dev.pharos.decision.RegionState.DEAD;
import static dev.pharos.decision.RegionState.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

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
 * The Linode DNS provider under the faults a real account shows: a creation Linode applies after
 * the client gave up on its answer, rows deleted by someone else between two page reads or between
 * a read and a write. The emulator shares the reconciler's fake clock, so "later" is exact. Every
 * test ends with no request outside Linode's API description, no foreign row touched and no
 * duplicate row.
 */
@QuarkusTest
@QuarkusTestResource(value = LinodeAppResource.class, restrictToAnnotatedClass = true)
class LinodeDnsFaultsTest {
    static final String TOKEN = "dns-faults-token-31b7-never-print-me";

    @TempDir Path data;

    LinodeEmulator emulator;
    LinodeZone zone;
    Journal journal;
    ScheduledExecutorService executor;

    /** The zone, with {@code olderRows} rows of other names listed before Pharos's own. */
    private ReconcileLoop<DnsStep> start(int olderRows, int pageSize) {
        emulator = LinodeEmulator.start(LinodeSpec.require(), TOKEN, "127.0.85.7");
        zone = new LinodeZone(emulator, olderRows);
        emulator.clock(zone.clock);
        journal = new Journal(data, "vp1", zone.clock, Json.MAPPER, 1000);
        executor = Executors.newSingleThreadScheduledExecutor();
        ReconcileLoop<DnsStep> r =
                zone.reconciler(zone.provider(TOKEN, pageSize), journal, executor);
        r.desire(zone.allHealthy(), Map.of());
        return r;
    }

    @AfterEach
    void stop() throws Exception {
        if (emulator == null) {
            return;
        }
        try {
            assertThat(emulator.violations()).as("outside Linode's API description").isEmpty();
            emulator.shiftedOut().forEach(r -> zone.foreign.remove(r.id()));
            assertThat(zone.foreignNow()).as("rows Pharos does not own").isEqualTo(zone.foreign);
            for (String name : List.of("cdn", "r1", LinodeZone.ZONE)) {
                assertThat(zone.a(name)).as("duplicate rows of " + name).doesNotHaveDuplicates();
            }
        } finally {
            executor.shutdownNow();
            journal.close();
            emulator.close();
        }
    }

    private long posts() {
        return emulator.calls().stream().filter(c -> c.method().equals("POST")).count();
    }

    @Test
    void aCreationAppliedAfterItsAnswerWasLostIsWaitedForNotMadeAgain() {
        ReconcileLoop<DnsStep> r = start(0, 500);
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        // writes: cdn -127.0.1.1, apex -127.0.1.1, r1 +127.0.2.1 (answer lost, applied 5 s later)
        emulator.inject(Fault.writeAppliedLate(1, Duration.ofSeconds(5)).fromThe(3));
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.RETRYABLE_ERROR);
        assertThat(zone.a("r1")).as("not applied yet").containsExactly("127.0.1.1");

        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        zone.clock.advance(Duration.ofSeconds(30));
        assertThat(emulator.duplicates()).as("duplicate rows Linode ever held").isEmpty();
        assertThat(zone.a("r1")).containsExactly("127.0.2.1");
        assertThat(posts()).as("the creation is made once").isEqualTo(1);
        // waiting for it asked Linode for r1's rows only
        assertThat(emulator.calls())
                .filteredOn(c -> c.method().equals("GET") && c.path().endsWith("/records"))
                .anyMatch(
                        c ->
                                c.filter() != null
                                        && c.filter().contains("r1")
                                        && !c.filter().contains("cdn"))
                .noneMatch(c -> c.filter() == null);
    }

    @Test
    void aDuplicateLeftByACreationLaterThanTheWaitIsRemovedAndJournaledAsSuch() {
        ReconcileLoop<DnsStep> r = start(0, 500);
        r.runOnce();
        emulator.inject(Fault.writeAppliedLate(1, Duration.ofMinutes(2)).fromThe(3));
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.RETRYABLE_ERROR);
        // Linode still has not applied it when the wait ends: it is made again
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(posts()).isEqualTo(2);

        zone.clock.advance(Duration.ofMinutes(2));
        assertThat(zone.a("r1")).containsExactly("127.0.2.1", "127.0.2.1");
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(zone.a("r1")).containsExactly("127.0.2.1");
        assertThat(emulator.duplicates()).singleElement().matches(d -> d.removed().isPresent());
        JournalEvent intent =
                journal.since(e -> e.type() == EventType.APPLY_INTENT, 0, 100).stream()
                        .reduce((a, b) -> b)
                        .orElseThrow();
        assertThat(intent.message()).contains("r1.example.test/A").contains("duplicate");
        assertThat(intent.message()).doesNotContain("ttl");
    }

    @Test
    void rowsDeletedBetweenTwoPageReadsNeverHideAnOwnedRow() {
        // 25 older rows fill page 1; Pharos's rows start page 2
        ReconcileLoop<DnsStep> r = start(25, 25);
        emulator.inject(Fault.pageShift(2).under("/v4/domains/" + zone.domain + "/records"));
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(zone.writes()).isEmpty();
        assertThat(emulator.duplicates()).isEmpty();
        assertThat(emulator.shiftedOut()).hasSize(2);
    }

    @Test
    void readsAndVerificationsAskForTheManagedNamesOnlyWhateverTheZonesSize() {
        ReconcileLoop<DnsStep> r = start(120, 25);
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        emulator.clearCalls();
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        List<LinodeEmulator.Call> lists =
                emulator.calls().stream()
                        .filter(c -> c.method().equals("GET") && c.path().endsWith("/records"))
                        .toList();
        // one read, one verification, each one page filtered by name and type
        assertThat(lists).hasSize(2);
        assertThat(lists).allMatch(c -> c.filter() != null && c.filter().contains("\"type\""));
    }

    @Test
    void aRowThatVanishesBeforeItsTtlIsFixedIsReadAgainInsteadOfStoppingFailover() {
        ReconcileLoop<DnsStep> r = start(0, 500);
        long r1 = zone.row("r1").id();
        emulator.setRecordTtl(zone.domain, r1, 300);
        // someone deletes r1's row between Pharos's read and its PUT: Linode answers 404
        emulator.inject(Fault.rowVanishes(1));
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(r.stopped()).isFalse();
        assertThat(zone.a("r1")).containsExactly("127.0.1.1");
        assertThat(zone.ttls("r1")).containsExactly(30);
        assertThat(emulator.calls())
                .extracting(LinodeEmulator.Call::method, LinodeEmulator.Call::status)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("PUT", 404),
                        org.assertj.core.groups.Tuple.tuple("POST", 200));
    }

    @Test
    void aRowThatVanishesBeforeItsDeletionCountsAsDeleted() {
        ReconcileLoop<DnsStep> r = start(0, 500);
        r.runOnce();
        emulator.inject(Fault.rowVanishes(1));
        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(zone.a("cdn")).containsExactly("127.0.2.1", "127.0.3.1");
        assertThat(r.stopped()).isFalse();
    }
}
