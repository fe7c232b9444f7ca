package dev.pharos.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.alert.Notification.Status;
import dev.pharos.config.AlertSettings;
import dev.pharos.decision.Guard;
import dev.pharos.journal.ActuatorEvent.ActuatorResumed;
import dev.pharos.journal.ActuatorEvent.ActuatorStopped;
import dev.pharos.journal.DecisionEvent.AllRegionsDown;
import dev.pharos.journal.DecisionEvent.AllRegionsDownResolved;
import dev.pharos.journal.DecisionEvent.GuardCleared;
import dev.pharos.journal.DecisionEvent.GuardFired;
import dev.pharos.journal.DnsEvent.ApplyOk;
import dev.pharos.journal.DnsFailure.ApplyFailed;
import dev.pharos.journal.Event;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.JournalFixture;
import dev.pharos.journal.PipelineEvent.QuorumLost;
import dev.pharos.journal.PipelineEvent.QuorumRegained;
import dev.pharos.journal.RelayEvent.RelayFailed;
import dev.pharos.journal.RelayEvent.RelayOff;
import dev.pharos.journal.RelayEvent.RelayOn;
import dev.pharos.journal.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which journal events open, update and resolve incidents, and which are de-duplicated. */
class IncidentsTest {
    private final Incidents incidents = new Incidents();
    private long seq;

    private List<Notification> on(Event event) {
        JournalEvent e =
                new JournalEvent(
                        ++seq,
                        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seq),
                        "vp1",
                        event);
        return incidents.on(e);
    }

    private List<Notification> region(String name, String state, Severity sev) {
        return on(RegionEvents.changed(name, state, sev));
    }

    private static ApplyFailed applyFailed(String actuator, Severity sev) {
        return new ApplyFailed(
                actuator,
                ApplyFailed.Phase.APPLY,
                "refused",
                Optional.empty(),
                Optional.of(250L),
                sev,
                actuator + " apply failed");
    }

    private static GuardFired fired(Guard guard, String region) {
        return new GuardFired(guard, Optional.of(region), Optional.empty(), "fired");
    }

    private static GuardCleared cleared(Guard guard, String region) {
        return new GuardCleared(guard, Optional.of(region), Optional.empty(), "cleared");
    }

    @Test
    void aDeadRegionOpensAnIncidentThatItsRecoveryResolvesOnce() {
        List<Notification> dead = region("europe", "DEAD", Severity.CRITICAL);
        assertThat(dead).hasSize(1);
        Notification open = dead.get(0);
        assertThat(open.status()).isEqualTo(Status.FIRING);
        assertThat(open.incident()).isEqualTo("region/europe#1");
        assertThat(open.severity()).isEqualTo(Severity.CRITICAL);

        List<Notification> healthy = region("europe", "HEALTHY", Severity.INFO);
        assertThat(healthy).hasSize(1);
        Notification closed = healthy.get(0);
        assertThat(closed.status()).isEqualTo(Status.RESOLVED);
        assertThat(closed.incident()).isEqualTo(open.incident());
        assertThat(closed.severity())
                .as("a resolution keeps the incident's severity, so the same filters pass it")
                .isEqualTo(Severity.CRITICAL);
        assertThat(closed.id()).isNotEqualTo(open.id());

        assertThat(region("europe", "DEGRADED", Severity.INFO)).isEmpty();
    }

    @Test
    void theSameStateAgainIsNotNotifiedButAnotherStateOrAHigherSeverityIs() {
        assertThat(region("europe", "RELAYING", Severity.WARNING)).hasSize(1);
        assertThat(region("europe", "UNKNOWN", Severity.WARNING))
                .as("UNKNOWN neither opens nor resolves")
                .isEmpty();
        assertThat(region("europe", "RELAYING", Severity.WARNING)).isEmpty();
        List<Notification> dead = region("europe", "DEAD", Severity.CRITICAL);
        assertThat(dead)
                .singleElement()
                .satisfies(
                        n -> {
                            assertThat(n.status()).isEqualTo(Status.FIRING);
                            assertThat(n.incident()).isEqualTo("region/europe#1");
                            assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
                        });
        assertThat(region("europe", "RELAYING", Severity.WARNING))
                .singleElement()
                .satisfies(n -> assertThat(n.severity()).isEqualTo(Severity.CRITICAL));
    }

    @Test
    void aResolutionWithoutAnOpenIncidentIsNotSent() {
        assertThat(region("europe", "HEALTHY", Severity.INFO)).isEmpty();
        assertThat(on(new QuorumRegained(2, 2, "back"))).isEmpty();
        assertThat(on(new ApplyOk("embedded", List.of(), 1, "applied"))).isEmpty();
    }

    @Test
    void repeatedApplyFailuresAreOneIncidentThatEscalatesAndAnApplyResolves() {
        assertThat(on(applyFailed("rfc2136", Severity.WARNING))).hasSize(1);
        assertThat(on(applyFailed("rfc2136", Severity.WARNING))).isEmpty();
        assertThat(on(applyFailed("rfc2136", Severity.CRITICAL)))
                .singleElement()
                .satisfies(n -> assertThat(n.severity()).isEqualTo(Severity.CRITICAL));
        assertThat(on(new ActuatorStopped("rfc2136", Optional.empty(), "stopped")))
                .as("stopping is a new phase of the same incident")
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).isEqualTo("apply/rfc2136#1"));
        assertThat(on(applyFailed("linode", Severity.WARNING)))
                .as("another actuator is another incident")
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).startsWith("apply/linode#"));
        assertThat(on(new ActuatorResumed("rfc2136", "resumed")))
                .singleElement()
                .satisfies(n -> assertThat(n.status()).isEqualTo(Status.RESOLVED));
    }

    @Test
    void aRelayChangeResolvesItsActuatorsFailuresAndOpensOrClosesTheRelayIncident() {
        on(new RelayFailed("europe", "haproxy", 250, "failed"));
        List<Notification> on =
                on(new RelayOn("europe", "apac", "127.0.2.1:80", "haproxy", "relay on"));
        assertThat(on)
                .extracting(Notification::incident, Notification::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("relay/europe#2", Status.FIRING),
                        org.assertj.core.groups.Tuple.tuple("apply/haproxy#1", Status.RESOLVED));
        assertThat(on(new RelayOn("europe", "americas", "127.0.3.1:80", "haproxy", "relay on")))
                .as("a new forward target is news")
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).isEqualTo("relay/europe#2"));
        assertThat(on(new RelayOff("europe", "haproxy", "relay off")))
                .singleElement()
                .satisfies(n -> assertThat(n.status()).isEqualTo(Status.RESOLVED));
    }

    @Test
    void guardsAreKeyedByGuardAndWhatTheyHoldBack() {
        assertThat(on(fired(Guard.BLAST_RADIUS, "europe")))
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).isEqualTo("guard/blast-radius/europe#1"));
        assertThat(on(cleared(Guard.BLAST_RADIUS, "apac"))).isEmpty();
        assertThat(on(cleared(Guard.BLAST_RADIUS, "europe")))
                .singleElement()
                .satisfies(n -> assertThat(n.status()).isEqualTo(Status.RESOLVED));
    }

    @Test
    void theHoldDownOfARecoveredRegionIsRoutineNotAnIncident() {
        assertThat(on(fired(Guard.HOLD_DOWN, "europe"))).isEmpty();
        assertThat(on(cleared(Guard.HOLD_DOWN, "europe"))).isEmpty();
    }

    @Test
    void quorumAndAllRegionsDownOpenAndResolve() {
        assertThat(on(new QuorumLost(1, 2, List.of("vp2"), "lost"))).hasSize(1);
        assertThat(on(new QuorumLost(1, 2, List.of("vp2"), "lost"))).isEmpty();
        assertThat(on(new AllRegionsDown("all down"))).hasSize(1);
        assertThat(on(new QuorumRegained(2, 2, "back")))
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).isEqualTo("quorum#1"));
        assertThat(on(new AllRegionsDownResolved("one is back")))
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).isEqualTo("all-regions-down#3"));
    }

    @Test
    void everyEventTypeAReceiverMayListOpensAnIncidentAndNothingElseDoes() {
        // every kind of event Pharos writes, as a journal of the previous version has them
        Set<String> opening = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        for (JournalEvent e : JournalFixture.events()) {
            seen.add(e.type().label());
            List<Notification> n = new Incidents().on(e);
            if (!n.isEmpty() && n.get(0).status() == Status.FIRING) {
                opening.add(e.type().label());
            }
        }
        assertThat(seen).containsAll(AlertSettings.NOTIFY_EVENTS);
        assertThat(opening).containsExactlyInAnyOrderElementsOf(AlertSettings.NOTIFY_EVENTS);
    }

    @Test
    void deliveryIdsAreStableForOneEventAndDistinctAcrossEvents() {
        assertThat(Incidents.deliveryId("vp1", "quorum#1", 1))
                .isEqualTo(Incidents.deliveryId("vp1", "quorum#1", 1))
                .isNotEqualTo(Incidents.deliveryId("vp1", "quorum#1", 2))
                .isNotEqualTo(Incidents.deliveryId("vp2", "quorum#1", 1))
                .hasSize(32);
    }
}
