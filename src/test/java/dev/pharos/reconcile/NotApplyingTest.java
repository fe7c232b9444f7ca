package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.InMemoryDnsProvider;
import dev.pharos.journal.DnsEvent.Plan;
import dev.pharos.journal.EventType;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.RelayEvent.RelayPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loop that does not apply (dry run, or not the actuating instance) journals each new plan once,
 * says why in its words, and changes nothing: the same for DNS and for relays.
 */
class NotApplyingTest {
    @TempDir Path dir;
    Scene scene;

    @BeforeEach
    void scene() {
        scene = new Scene(dir);
    }

    @AfterEach
    void close() {
        scene.close();
    }

    @Test
    void aDnsDryRunJournalsItsPlanOnceAndAppliesNothing() {
        InMemoryDnsProvider provider = new InMemoryDnsProvider("dry");
        ReconcileLoop<DnsStep> r = scene.dns(provider, ActuatorMode.DRY_RUN);
        r.desire(Scene.allIn(), Map.of());

        assertThat(r.runOnce()).isEqualTo(Outcome.DRY_RUN);
        assertThat(r.runOnce()).isEqualTo(Outcome.DRY_RUN);

        assertThat(provider.applied()).isEmpty();
        assertThat(scene.typed()).singleElement().isInstanceOf(Plan.class);
        assertThat(scene.events().get(0).message())
                .isEqualTo("dry run, not applied: cdn.example.test/A +[127.0.1.1, 127.0.2.1]");
        assertThat(r.status().dryRun()).isTrue();
        assertThat(r.status().applying()).isFalse();
        assertThat(r.status().plan()).containsExactly("cdn.example.test/A +[127.0.1.1, 127.0.2.1]");
    }

    @Test
    void aDnsInstanceThatDoesNotActuateSaysSo() {
        InMemoryDnsProvider provider = new InMemoryDnsProvider("passive");
        ReconcileLoop<DnsStep> r = scene.dns(provider, ActuatorMode.PLAN_ONLY);
        r.desire(Scene.allIn(), Map.of());

        assertThat(r.runOnce()).isEqualTo(Outcome.PLAN_ONLY);

        assertThat(provider.applied()).isEmpty();
        assertThat(scene.events())
                .extracting(JournalEvent::message)
                .containsExactly(
                        "not the actuating instance, not applied: cdn.example.test/A"
                                + " +[127.0.1.1, 127.0.2.1]");
        assertThat(r.status().dryRun()).isFalse();
        assertThat(r.status().applying()).isFalse();
    }

    @Test
    void aRelayDryRunJournalsItsPlanOnceAndOnlyReads() {
        FakeRelays relays = new FakeRelays();
        ReconcileLoop<RelayStep> r = scene.relays(relays, ActuatorMode.DRY_RUN);
        r.desire(Scene.relaying(true), Map.of());

        assertThat(r.runOnce()).isEqualTo(Outcome.DRY_RUN);
        assertThat(r.runOnce()).isEqualTo(Outcome.DRY_RUN);

        assertThat(relays.calls()).allMatch(c -> c.startsWith("read "));
        assertThat(relays.state("europe").inRotation()).isFalse();
        assertThat(scene.typed()).singleElement().isInstanceOf(RelayPlan.class);
        JournalEvent plan = scene.events().get(0);
        assertThat(plan.type()).isEqualTo(EventType.PLAN);
        assertThat(plan.message())
                .isEqualTo(
                        "dry run, not applied: relay of europe on, forwarding to apac"
                                + " (127.0.2.1:80)");
        assertThat(plan.data())
                .containsEntry("actuator", "fake-lb-relay")
                .containsEntry(
                        "relays",
                        List.of(
                                Map.of(
                                        "region",
                                        "europe",
                                        "target",
                                        "apac",
                                        "endpoint",
                                        "127.0.2.1:80")));
        assertThat(r.status().dryRun()).isTrue();
        assertThat(r.status().plan())
                .containsExactly("relay of europe on, forwarding to apac (127.0.2.1:80)");
    }

    @Test
    void aRelayInstanceThatDoesNotActuateSaysSo() {
        FakeRelays relays = new FakeRelays();
        ReconcileLoop<RelayStep> r = scene.relays(relays, ActuatorMode.PLAN_ONLY);
        r.desire(Scene.relaying(true), Map.of());

        assertThat(r.runOnce()).isEqualTo(Outcome.PLAN_ONLY);

        assertThat(relays.calls()).allMatch(c -> c.startsWith("read "));
        assertThat(scene.events())
                .extracting(JournalEvent::message)
                .containsExactly(
                        "not the actuating instance, not applied: relay of europe on, forwarding"
                                + " to apac (127.0.2.1:80)");
    }

    @Test
    void aNewPlanIsJournaledAgainAndNoPlanIsNoChange() {
        FakeRelays relays = new FakeRelays();
        ReconcileLoop<RelayStep> r = scene.relays(relays, ActuatorMode.DRY_RUN);
        r.desire(Scene.relaying(true), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.DRY_RUN);

        // the relay is off and should stay off: nothing to plan
        r.desire(Scene.relaying(false), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(r.status().plan()).isEmpty();

        // the same plan again after it went away is a new plan
        r.desire(Scene.relaying(true), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.DRY_RUN);
        assertThat(scene.typed()).hasSize(2).allMatch(e -> e instanceof RelayPlan);
    }

    @Test
    void aRelayThatIsOnIsPlannedOffInADryRun() {
        FakeRelays relays = new FakeRelays();
        ReconcileLoop<RelayStep> apply = scene.relays(relays, ActuatorMode.APPLY);
        apply.desire(Scene.relaying(true), Map.of());
        assertThat(apply.runOnce()).isEqualTo(Outcome.APPLIED);

        ReconcileLoop<RelayStep> dry = scene.relays(relays, ActuatorMode.DRY_RUN);
        dry.desire(Scene.relaying(false), Map.of());
        assertThat(dry.runOnce()).isEqualTo(Outcome.DRY_RUN);

        assertThat(relays.state("europe").inRotation()).isTrue();
        assertThat(scene.events().get(scene.events().size() - 1).message())
                .isEqualTo("dry run, not applied: relay of europe off");
        assertThat(scene.events().get(scene.events().size() - 1).data())
                .containsEntry("relays", List.of(Map.of("region", "europe")));
    }

    @Test
    void modesFollowTheSettings() {
        assertThat(ActuatorMode.of(true, false)).isEqualTo(ActuatorMode.APPLY);
        assertThat(ActuatorMode.of(false, false)).isEqualTo(ActuatorMode.PLAN_ONLY);
        assertThat(ActuatorMode.of(true, true)).isEqualTo(ActuatorMode.DRY_RUN);
        assertThat(ActuatorMode.of(false, true)).isEqualTo(ActuatorMode.DRY_RUN);
    }
}
