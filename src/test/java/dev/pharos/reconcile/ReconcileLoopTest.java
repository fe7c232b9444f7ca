package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.RegionState;
import dev.pharos.domain.RecordSet;
import dev.pharos.journal.EventType;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.RegionEvidence;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared loop, driven by a manual scheduler on a test clock: when rounds start (coalesced,
 * after a backoff, never early), which desired state they apply (the latest), and how a permanent
 * error stops the actuator until it is resumed.
 */
class ReconcileLoopTest {
    @TempDir Path dir;
    Scene scene;
    ScriptedDns dns;
    ReconcileLoop<DnsStep> loop;
    Instant t0;

    @BeforeEach
    void scene() {
        scene = new Scene(dir);
        dns = new ScriptedDns(scene.clock);
        loop = scene.dns(dns, ActuatorMode.APPLY);
        t0 = scene.clock.instant();
    }

    @AfterEach
    void close() {
        scene.close();
    }

    /** The round-robin record with only these addresses. */
    private static DesiredState only(String... addresses) {
        Map.Entry<?, RecordSet> rr = Scene.allIn().records().entrySet().iterator().next();
        RecordSet set = rr.getValue().withValues(List.of(addresses));
        return new DesiredState(Map.of(set.key(), set), Map.of(), List.of(), false);
    }

    private List<String> published() {
        return dns.published().values().stream().flatMap(s -> s.values().stream()).toList();
    }

    private List<Long> retryDelays() {
        return scene.events().stream()
                .filter(e -> e.type() == EventType.APPLY_FAILED)
                .map(e -> ((Number) e.data().get("retryInMs")).longValue())
                .toList();
    }

    @Test
    void requestsCoalesceIntoOneRound() {
        loop.offer(Scene.allIn(), Map.of());
        loop.offer(Scene.allIn(), Map.of());
        loop.offer(Scene.allIn(), Map.of());

        assertThat(scene.scheduler.runReady()).isEqualTo(1);
        assertThat(dns.reads()).hasSize(1);
        assertThat(dns.applied()).hasSize(1);
    }

    @Test
    void theApplyIntentCarriesTheEvidenceInThePipelinesOrder() {
        Map<String, RegionEvidence> evidence = new LinkedHashMap<>();
        for (String region : List.of("europe", "apac", "americas")) {
            evidence.put(
                    region,
                    new RegionEvidence(
                            RegionState.HEALTHY, region + " is fine", Map.of(), Map.of()));
        }
        loop.offer(Scene.allIn(), evidence);
        scene.scheduler.runReady();

        JournalEvent intent = scene.events().get(0);
        assertThat(intent.type()).isEqualTo(EventType.APPLY_INTENT);
        assertThat(List.copyOf(((Map<?, ?>) intent.data().get("regions")).keySet()))
                .isEqualTo(List.of("europe", "apac", "americas"));
    }

    @Test
    void aRetryableErrorIsRetriedAfterABackoffThatDoubles() {
        dns.failReads(ScriptedDns.retryable(), ScriptedDns.retryable(), ScriptedDns.retryable());
        loop.offer(Scene.allIn(), Map.of());
        scene.scheduler.runReady();
        assertThat(scene.scheduler.nextTimer()).contains(t0.plusMillis(250));

        scene.scheduler.advance(Duration.ofMillis(249));
        assertThat(dns.reads()).hasSize(1);
        scene.scheduler.advance(Duration.ofMillis(1));
        assertThat(dns.reads()).hasSize(2);
        scene.scheduler.advance(Duration.ofMillis(499));
        assertThat(dns.reads()).hasSize(2);
        scene.scheduler.advance(Duration.ofMillis(1));
        scene.scheduler.advance(Duration.ofMillis(1000));

        assertThat(dns.reads())
                .containsExactly(t0, t0.plusMillis(250), t0.plusMillis(750), t0.plusMillis(1750));
        assertThat(retryDelays()).containsExactly(250L, 500L, 1000L);
        assertThat(published()).containsExactly("127.0.1.1", "127.0.2.1");
        assertThat(loop.status().consecutiveFailures()).isZero();
        assertThat(scene.scheduler.nextTimer()).as("nothing left to retry").isEmpty();
    }

    @Test
    void aLaterFailureReplacesThePendingRetry() {
        dns.failReads(ScriptedDns.retryable(), ScriptedDns.retryable());
        loop.offer(Scene.allIn(), Map.of());
        scene.scheduler.runReady();
        // a new desired state does not wait for the backoff; it fails too, at +100 ms
        scene.scheduler.advance(Duration.ofMillis(100));
        loop.offer(only("127.0.2.1"), Map.of());
        scene.scheduler.runReady();

        // the first failure's retry (+250 ms) would come 150 ms after the second failure, whose
        // backoff is 500 ms: it must not start a round
        scene.scheduler.advance(Duration.ofMillis(499));
        assertThat(dns.reads()).containsExactly(t0, t0.plusMillis(100));
        scene.scheduler.advance(Duration.ofMillis(1));

        assertThat(dns.reads()).containsExactly(t0, t0.plusMillis(100), t0.plusMillis(600));
        assertThat(published()).containsExactly("127.0.2.1");
    }

    @Test
    void aRetryTimerThatFiresEarlyWaitsForTheRestOfItsBackoff() {
        dns.failReads(ScriptedDns.retryable());
        loop.offer(Scene.allIn(), Map.of());
        scene.scheduler.runReady();
        scene.scheduler.advance(Duration.ofMillis(100));

        scene.scheduler.fireTimersEarly();

        assertThat(dns.reads()).hasSize(1);
        assertThat(scene.scheduler.nextTimer()).contains(t0.plusMillis(250));
        scene.scheduler.advance(Duration.ofMillis(150));
        assertThat(dns.reads()).containsExactly(t0, t0.plusMillis(250));
    }

    @Test
    void anOfferMadeBeforeTheRoundRunsIsTheOneApplied() {
        loop.offer(Scene.allIn(), Map.of());
        loop.offer(only("127.0.1.1"), Map.of());
        scene.scheduler.runReady();

        assertThat(dns.applied()).hasSize(1);
        assertThat(published()).containsExactly("127.0.1.1");
    }

    @Test
    void aRePlanAfterAConflictTakesTheDesiredStateOfThatMoment() {
        loop.desire(Scene.allIn(), Map.of());
        // while the first apply is under way, someone edits the record and the decision changes
        dns.duringNextApply(
                () -> {
                    dns.put(only("127.0.9.9").records().values().iterator().next());
                    loop.desire(only("127.0.2.1"), Map.of());
                });

        assertThat(loop.runOnce()).isEqualTo(Outcome.APPLIED);

        assertThat(published()).containsExactly("127.0.2.1");
        assertThat(scene.events())
                .extracting(JournalEvent::type)
                .containsExactly(
                        EventType.APPLY_INTENT,
                        EventType.APPLY_FAILED,
                        EventType.APPLY_INTENT,
                        EventType.APPLY_OK,
                        EventType.PROPAGATED);
        assertThat(scene.events().get(2).message())
                .isEqualTo(
                        "re-planned after a concurrent change; applying cdn.example.test/A"
                                + " -[127.0.9.9] +[127.0.2.1]");
    }

    @Test
    void aRetryAppliesTheDesiredStateOfItsTimeNotOfTheFailure() {
        dns.failApplies(ScriptedDns.retryable());
        loop.offer(Scene.allIn(), Map.of());
        scene.scheduler.runReady();
        // decided during the backoff, without asking for a round
        loop.desire(only("127.0.1.1"), Map.of());

        scene.scheduler.advance(Duration.ofMillis(250));

        assertThat(published()).containsExactly("127.0.1.1");
        assertThat(dns.applied()).hasSize(1);
    }

    @Test
    void aPermanentErrorStopsTheActuatorUntilAnOperatorResumesIt() {
        dns.failReads(ScriptedDns.permanent());
        loop.offer(Scene.allIn(), Map.of());
        scene.scheduler.runReady();

        assertThat(loop.stopped()).isTrue();
        assertThat(loop.status().stoppedBecause()).isEqualTo("401 token refused");
        assertThat(loop.status().lastError()).isEqualTo("read: 401 token refused");
        assertThat(scene.events())
                .extracting(JournalEvent::type)
                .containsExactly(EventType.APPLY_FAILED, EventType.ACTUATOR_STOPPED);
        assertThat(scene.scheduler.nextTimer()).as("no retry").isEmpty();

        loop.offer(only("127.0.1.1"), Map.of());
        scene.scheduler.runReady();
        assertThat(loop.runOnce()).isEqualTo(Outcome.STOPPED);
        assertThat(dns.reads()).hasSize(1);

        assertThat(loop.resume()).isTrue();
        scene.scheduler.runReady();

        assertThat(loop.stopped()).isFalse();
        assertThat(published()).containsExactly("127.0.1.1");
        assertThat(scene.events().get(2).type()).isEqualTo(EventType.ACTUATOR_RESUMED);
        assertThat(loop.resume()).as("not stopped").isFalse();
    }

    @Test
    void aFailedApplyThatWentThroughIsReportedAsRecoveredOnTheNextRun() {
        // the apply takes effect, but its answer is lost
        ScriptedDns lossy =
                new ScriptedDns(scene.clock) {
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
        ReconcileLoop<DnsStep> r = scene.dns(lossy, ActuatorMode.APPLY);
        r.desire(Scene.allIn(), Map.of());

        assertThat(r.runOnce()).isEqualTo(Outcome.RETRYABLE_ERROR);
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);

        assertThat(scene.events())
                .extracting(JournalEvent::type)
                .containsExactly(
                        EventType.APPLY_INTENT, EventType.APPLY_FAILED, EventType.APPLY_OK);
        JournalEvent ok = scene.events().get(2);
        assertThat(ok.message())
                .isEqualTo(
                        "scripted-dns answers again after 1 failed attempts; nothing left to apply");
        assertThat(ok.data())
                .containsEntry("actuator", "scripted-dns")
                .containsEntry("recovered", true);
    }

    @Test
    void anUnexpectedExceptionFromAStepIsRetriedWithBackoffAndShownAsLastError() {
        // what an apply intent that could not be journaled threw before the journal kept it
        dns.duringNextApply(
                () -> {
                    throw new java.io.UncheckedIOException(
                            new java.io.IOException("No space left on device"));
                });
        loop.offer(Scene.allIn(), Map.of());
        scene.scheduler.runReady();

        assertThat(loop.status().lastError()).contains("No space left on device");
        assertThat(loop.status().consecutiveFailures()).isEqualTo(1);
        assertThat(scene.scheduler.nextTimer()).contains(t0.plusMillis(250));

        scene.scheduler.advance(Duration.ofMillis(250));
        assertThat(published()).containsExactly("127.0.1.1", "127.0.2.1");
        assertThat(loop.status().lastError()).isNull();
        assertThat(loop.status().consecutiveFailures()).isZero();
    }
}
