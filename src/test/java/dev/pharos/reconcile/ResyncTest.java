package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.domain.RecordSet;
import dev.pharos.journal.EventType;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.RelayEvent.RelayIntent;
import dev.pharos.journal.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every loop with a resync period runs on its own that often, for DNS providers and relays alike:
 * drift is repaired without a new decision.
 */
class ResyncTest {
    @TempDir Path dir;
    Scene scene;
    Instant t0;

    @BeforeEach
    void scene() {
        scene = new Scene(dir);
        t0 = scene.clock.instant();
    }

    @AfterEach
    void close() {
        scene.close();
    }

    @Test
    void aDnsRecordChangedBehindPharossBackIsPutBackAtTheNextResync() throws Exception {
        ScriptedDns dns = new ScriptedDns(scene.clock);
        ReconcileLoop<DnsStep> loop = scene.dns(dns, ActuatorMode.APPLY);
        loop.start(Scene.allIn());
        loop.offer(Scene.allIn(), Map.of());
        scene.scheduler.runReady();
        RecordSet set = Scene.allIn().records().values().iterator().next();
        dns.put(set.withValues(List.of("127.0.9.9")));

        scene.scheduler.advance(Scene.RESYNC.minusMillis(1));
        assertThat(dns.reads()).hasSize(1);
        scene.scheduler.advance(Duration.ofMillis(1));

        assertThat(dns.reads()).containsExactly(t0, t0.plus(Scene.RESYNC));
        assertThat(dns.published()).containsValue(set);
        scene.scheduler.advance(Scene.RESYNC);
        assertThat(dns.reads()).hasSize(3);
        assertThat(dns.applied()).as("nothing changed since").hasSize(2);
    }

    @Test
    void aRelayThatAReloadTookOutOfRotationIsPutBackAtTheNextResync() throws Exception {
        FakeRelays relays = new FakeRelays();
        ReconcileLoop<RelayStep> loop = scene.relays(relays, ActuatorMode.APPLY);
        loop.start(Scene.allIn());
        loop.offer(Scene.relaying(true), Map.of());
        scene.scheduler.runReady();
        assertThat(relays.state("europe").inRotation()).isTrue();

        relays.reload("europe");
        scene.scheduler.advance(Scene.RESYNC);

        assertThat(relays.state("europe").inRotation()).isTrue();
        assertThat(relays.state("europe").forwardTo()).contains("127.0.2.1:80");
        assertThat(scene.events())
                .extracting(JournalEvent::type)
                .containsExactly(
                        EventType.APPLY_INTENT,
                        EventType.RELAY_ON,
                        EventType.APPLY_INTENT,
                        EventType.RELAY_ON);
        // the intent says the resync repairs drift, not a new decision
        assertThat(scene.typed())
                .filteredOn(RelayIntent.class::isInstance)
                .map(e -> ((RelayIntent) e).drift())
                .containsExactly(false, true);
        assertThat(scene.events().get(2).message()).contains("a reloaded load balancer");
        assertThat(scene.events().get(2).severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void withoutAResyncPeriodNothingRunsUnasked() throws Exception {
        ScriptedDns dns = new ScriptedDns(scene.clock);
        ReconcileLoop<DnsStep> loop = scene.dns(dns, ActuatorMode.APPLY, Optional.empty());
        loop.start(Scene.allIn());
        loop.offer(Scene.allIn(), Map.of());
        scene.scheduler.runReady();

        scene.scheduler.advance(Duration.ofHours(1));

        assertThat(dns.reads()).hasSize(1);
        assertThat(scene.scheduler.nextTimer()).isEmpty();
    }

    @Test
    void aResyncDoesNotStartARoundBeforeAPendingRetry() throws Exception {
        ScriptedDns dns = new ScriptedDns(scene.clock);
        ReconcileLoop<DnsStep> loop =
                scene.dns(dns, ActuatorMode.APPLY, Optional.of(Duration.ofMillis(100)));
        dns.failReads(ScriptedDns.retryable(), ScriptedDns.retryable());
        loop.start(Scene.allIn());
        loop.offer(Scene.allIn(), Map.of());
        scene.scheduler.runReady();

        scene.scheduler.advance(Duration.ofMillis(799));

        // retries at +250 and +750 (250, then 500 ms); the resyncs at +100, +200, ... wait
        assertThat(dns.reads()).containsExactly(t0, t0.plusMillis(250), t0.plusMillis(750));
        scene.scheduler.advance(Duration.ofMillis(1));
        assertThat(dns.reads()).hasSize(4).endsWith(t0.plusMillis(800));
    }

    @Test
    void aStoppedActuatorIsNotResynced() throws Exception {
        ScriptedDns dns = new ScriptedDns(scene.clock);
        ReconcileLoop<DnsStep> loop = scene.dns(dns, ActuatorMode.APPLY);
        dns.failReads(ActuatorException.permanent("401 token refused", null));
        loop.start(Scene.allIn());
        loop.offer(Scene.allIn(), Map.of());
        scene.scheduler.runReady();

        scene.scheduler.advance(Scene.RESYNC.multipliedBy(3));

        assertThat(loop.stopped()).isTrue();
        assertThat(dns.reads()).hasSize(1);
    }
}
