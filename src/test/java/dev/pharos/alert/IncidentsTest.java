package dev.pharos.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.alert.Notification.Status;
import dev.pharos.config.AlertSettings;
import dev.pharos.journal.EventType;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which journal events open, update and resolve incidents, and which are de-duplicated. */
class IncidentsTest {
    private final Incidents incidents = new Incidents();
    private long seq;

    private List<Notification> on(
            EventType type, Severity sev, String region, Map<String, Object> data) {
        JournalEvent e =
                new JournalEvent(
                        ++seq,
                        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seq),
                        "vp1",
                        type,
                        sev,
                        region,
                        null,
                        type.label() + " " + seq,
                        data);
        return incidents.on(e);
    }

    private List<Notification> region(String name, String state, Severity sev) {
        return on(EventType.REGION_STATE_CHANGED, sev, name, Map.of("state", state));
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
        assertThat(on(EventType.QUORUM_REGAINED, Severity.INFO, null, Map.of())).isEmpty();
        assertThat(on(EventType.APPLY_OK, Severity.INFO, null, Map.of("actuator", "embedded")))
                .isEmpty();
    }

    @Test
    void repeatedApplyFailuresAreOneIncidentThatEscalatesAndAnApplyResolves() {
        Map<String, Object> dns = Map.of("actuator", "rfc2136");
        assertThat(on(EventType.APPLY_FAILED, Severity.WARNING, null, dns)).hasSize(1);
        assertThat(on(EventType.APPLY_FAILED, Severity.WARNING, null, dns)).isEmpty();
        assertThat(on(EventType.APPLY_FAILED, Severity.CRITICAL, null, dns))
                .singleElement()
                .satisfies(n -> assertThat(n.severity()).isEqualTo(Severity.CRITICAL));
        assertThat(on(EventType.ACTUATOR_STOPPED, Severity.CRITICAL, null, dns))
                .as("stopping is a new phase of the same incident")
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).isEqualTo("apply/rfc2136#1"));
        assertThat(on(EventType.APPLY_FAILED, Severity.WARNING, null, Map.of("actuator", "linode")))
                .as("another actuator is another incident")
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).startsWith("apply/linode#"));
        assertThat(on(EventType.ACTUATOR_RESUMED, Severity.INFO, null, dns))
                .singleElement()
                .satisfies(n -> assertThat(n.status()).isEqualTo(Status.RESOLVED));
    }

    @Test
    void aRelayChangeResolvesItsActuatorsFailuresAndOpensOrClosesTheRelayIncident() {
        Map<String, Object> haproxy = Map.of("actuator", "haproxy");
        on(EventType.APPLY_FAILED, Severity.WARNING, "europe", haproxy);
        List<Notification> on =
                on(
                        EventType.RELAY_ON,
                        Severity.WARNING,
                        "europe",
                        Map.of("actuator", "haproxy", "target", "apac"));
        assertThat(on)
                .extracting(Notification::incident, Notification::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("relay/europe#2", Status.FIRING),
                        org.assertj.core.groups.Tuple.tuple("apply/haproxy#1", Status.RESOLVED));
        assertThat(
                        on(
                                EventType.RELAY_ON,
                                Severity.WARNING,
                                "europe",
                                Map.of("actuator", "haproxy", "target", "americas")))
                .as("a new forward target is news")
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).isEqualTo("relay/europe#2"));
        assertThat(on(EventType.RELAY_OFF, Severity.INFO, "europe", haproxy))
                .singleElement()
                .satisfies(n -> assertThat(n.status()).isEqualTo(Status.RESOLVED));
    }

    @Test
    void guardsAreKeyedByGuardAndWhatTheyHoldBack() {
        assertThat(
                        on(
                                EventType.GUARD_FIRED,
                                Severity.CRITICAL,
                                "europe",
                                Map.of("guard", "blast-radius", "region", "europe")))
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).isEqualTo("guard/blast-radius/europe#1"));
        assertThat(
                        on(
                                EventType.GUARD_CLEARED,
                                Severity.INFO,
                                "apac",
                                Map.of("guard", "blast-radius", "region", "apac")))
                .isEmpty();
        assertThat(
                        on(
                                EventType.GUARD_CLEARED,
                                Severity.INFO,
                                "europe",
                                Map.of("guard", "blast-radius", "region", "europe")))
                .singleElement()
                .satisfies(n -> assertThat(n.status()).isEqualTo(Status.RESOLVED));
    }

    @Test
    void theHoldDownOfARecoveredRegionIsRoutineNotAnIncident() {
        Map<String, Object> holdDown = Map.of("guard", "hold-down", "region", "europe");
        assertThat(on(EventType.GUARD_FIRED, Severity.WARNING, "europe", holdDown)).isEmpty();
        assertThat(on(EventType.GUARD_CLEARED, Severity.INFO, "europe", holdDown)).isEmpty();
    }

    @Test
    void quorumAndAllRegionsDownOpenAndResolve() {
        assertThat(on(EventType.QUORUM_LOST, Severity.CRITICAL, null, Map.of())).hasSize(1);
        assertThat(on(EventType.QUORUM_LOST, Severity.CRITICAL, null, Map.of())).isEmpty();
        assertThat(on(EventType.ALL_REGIONS_DOWN, Severity.CRITICAL, null, Map.of())).hasSize(1);
        assertThat(on(EventType.QUORUM_REGAINED, Severity.INFO, null, Map.of()))
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).isEqualTo("quorum#1"));
        assertThat(on(EventType.ALL_REGIONS_DOWN_RESOLVED, Severity.INFO, null, Map.of()))
                .singleElement()
                .satisfies(n -> assertThat(n.incident()).isEqualTo("all-regions-down#3"));
    }

    @Test
    void everyEventTypeAReceiverMayListOpensAnIncidentAndNothingElseDoes() {
        List<String> opening = new ArrayList<>();
        for (EventType t : EventType.values()) {
            Map<String, Object> data =
                    Map.of(
                            "state", "DEAD",
                            "actuator", "a",
                            "guard", "g",
                            "target", "apac");
            JournalEvent e =
                    new JournalEvent(
                            1,
                            Instant.EPOCH,
                            "vp1",
                            t,
                            Severity.CRITICAL,
                            "europe",
                            null,
                            "m",
                            data);
            List<Notification> n = new Incidents().on(e);
            if (!n.isEmpty() && n.get(0).status() == Status.FIRING) {
                opening.add(t.label());
            }
        }
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
