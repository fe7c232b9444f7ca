package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.journal.ActuatorEvent.ActuatorStopped;
import dev.pharos.journal.EventType;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.RelayEvent.RelayFailed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay step in the shared loop: the order of its calls, its failures and recovery. */
class RelayStepTest {
    @TempDir Path dir;
    Scene scene;
    FakeRelays relays;
    ReconcileLoop<RelayStep> loop;

    @BeforeEach
    void scene() {
        scene = new Scene(dir);
        relays = new FakeRelays();
        loop = scene.relays(relays, ActuatorMode.APPLY);
    }

    @AfterEach
    void close() {
        scene.close();
    }

    @Test
    void aRelayGetsItsTargetBeforeItsTrafficAndLosesItsTrafficFirst() {
        loop.desire(Scene.relaying(true), Map.of());
        assertThat(loop.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(relays.calls())
                .containsSubsequence(
                        "read europe", "forward europe 127.0.2.1:80", "rotation europe true");
        assertThat(loop.step().lastRead().get("europe").inRotation()).isTrue();

        relays.clearCalls();
        assertThat(loop.runOnce()).as("idempotent").isEqualTo(Outcome.NO_CHANGES);
        assertThat(relays.calls()).allMatch(c -> c.startsWith("read "));

        relays.clearCalls();
        loop.desire(Scene.relaying(false), Map.of());
        assertThat(loop.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(relays.calls())
                .containsSubsequence("read europe", "rotation europe false", "forward europe -");
        assertThat(scene.events())
                .extracting(JournalEvent::type)
                .containsExactly(
                        EventType.APPLY_INTENT,
                        EventType.RELAY_ON,
                        EventType.APPLY_INTENT,
                        EventType.RELAY_OFF);
        assertThat(scene.events().get(0).message())
                .isEqualTo(
                        "changing: relay of europe on, forwarding to apac (127.0.2.1:80): europe"
                                + " is RELAYING");
        assertThat(scene.events().get(1).message())
                .isEqualTo(
                        "relay of europe on, forwarding to apac (127.0.2.1:80): europe is"
                                + " RELAYING");
    }

    @Test
    void aRetryableFailureIsRetriedAndItsEndJournaled() {
        relays.failNext("europe", ActuatorException.retryable("runtime API unreachable", null));
        loop.offer(Scene.relaying(true), Map.of());
        scene.scheduler.runReady();

        assertThat(loop.status().consecutiveFailures()).isEqualTo(1);
        assertThat(scene.typed())
                .singleElement()
                .isInstanceOfSatisfying(
                        RelayFailed.class, f -> assertThat(f.retryInMs()).isEqualTo(250));
        assertThat(loop.status().lastError()).isEqualTo("europe: runtime API unreachable");

        scene.scheduler.advance(Duration.ofMillis(250));

        assertThat(relays.state("europe").inRotation()).isTrue();
        assertThat(scene.events())
                .extracting(JournalEvent::type)
                .containsExactly(
                        EventType.APPLY_FAILED,
                        EventType.APPLY_INTENT,
                        EventType.RELAY_ON,
                        EventType.APPLY_OK);
        assertThat(scene.events().get(3).message())
                .isEqualTo("relay actuator fake-lb works again after 1 failed attempts");
        assertThat(loop.status().lastError()).isNull();
    }

    @Test
    void aRelayThatFailsDoesNotHoldBackTheOthers() {
        relays.failNext("apac", ActuatorException.retryable("runtime API unreachable", null));
        loop.desire(Scene.relaying(true), Map.of());

        assertThat(loop.runOnce()).isEqualTo(Outcome.RETRYABLE_ERROR);

        assertThat(relays.state("europe").inRotation()).isTrue();
        assertThat(scene.typed())
                .filteredOn(e -> e instanceof RelayFailed)
                .singleElement()
                .isInstanceOfSatisfying(
                        RelayFailed.class, f -> assertThat(f.region()).isEqualTo("apac"));
    }

    @Test
    void aPermanentFailureStopsTheActuatorNamingTheRegion() {
        loop.desire(Scene.relaying(true), Map.of());
        relays.failNext("europe", ActuatorException.permanent("No such server", null));

        assertThat(loop.runOnce()).isEqualTo(Outcome.PERMANENT_ERROR);

        assertThat(loop.stopped()).isTrue();
        assertThat(scene.typed())
                .singleElement()
                .isInstanceOfSatisfying(
                        ActuatorStopped.class,
                        s -> {
                            assertThat(s.region()).contains("europe");
                            assertThat(s.actuator()).isEqualTo("fake-lb");
                        });
        assertThat(loop.stoppedBecause()).isEqualTo("No such server");
        assertThat(loop.runOnce()).isEqualTo(Outcome.STOPPED);
        assertThat(loop.resume()).isTrue();
        assertThat(loop.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(relays.state("europe").inRotation()).isTrue();
        assertThat(loop.status().stopped()).isFalse();
    }
}
