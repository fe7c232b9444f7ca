package dev.pharos.alert;

import dev.pharos.alert.Notification.Status;
import dev.pharos.decision.Guard;
import dev.pharos.decision.RegionState;
import dev.pharos.journal.ActuatorEvent;
import dev.pharos.journal.DecisionEvent.AllRegionsDown;
import dev.pharos.journal.DecisionEvent.AllRegionsDownResolved;
import dev.pharos.journal.DecisionEvent.GuardEvent;
import dev.pharos.journal.DecisionEvent.GuardFired;
import dev.pharos.journal.Event;
import dev.pharos.journal.JournalEvent;
import dev.pharos.journal.PeerEvent;
import dev.pharos.journal.PipelineEvent.QuorumLost;
import dev.pharos.journal.PipelineEvent.QuorumRegained;
import dev.pharos.journal.PipelineEvent.RegionStateChanged;
import dev.pharos.journal.RelayEvent.RelayOff;
import dev.pharos.journal.RelayEvent.RelayOn;
import dev.pharos.journal.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns journal events into incidents, and incidents into notifications.
 *
 * <p>An incident opens with an event and stays open until another resolves it:
 *
 * <table>
 *   <caption>incidents</caption>
 *   <tr><th>key</th><th>opened by</th><th>resolved by</th></tr>
 *   <tr><td>{@code region/<name>}</td><td>region DEAD, RELAYING or DRAINED</td>
 *       <td>region HEALTHY or DEGRADED</td></tr>
 *   <tr><td>{@code quorum}</td><td>QUORUM_LOST</td><td>QUORUM_REGAINED</td></tr>
 *   <tr><td>{@code all-regions-down}</td><td>ALL_REGIONS_DOWN</td>
 *       <td>ALL_REGIONS_DOWN_RESOLVED</td></tr>
 *   <tr><td>{@code apply/<actuator>}</td><td>APPLY_FAILED, ACTUATOR_STOPPED</td>
 *       <td>APPLY_OK, ACTUATOR_RESUMED, RELAY_ON/OFF by that actuator</td></tr>
 *   <tr><td>{@code guard/<guard>/<region or record>}</td><td>GUARD_FIRED (not the
 *       hold-down, which is part of every recovery)</td><td>GUARD_CLEARED</td></tr>
 *   <tr><td>{@code relay/<region>}</td><td>RELAY_ON</td><td>RELAY_OFF</td></tr>
 *   <tr><td>{@code abstaining/<vantage>}</td><td>ABSTENTION_STARTED</td>
 *       <td>ABSTENTION_ENDED</td></tr>
 * </table>
 *
 * <p>De-duplication: an open incident is notified again only when its phase changes (a region going
 * from RELAYING to DEAD, a relay switching its target, an actuator that stops after failing) or its
 * severity rises (an apply failing for the fifth time turns critical). A resolution is sent only
 * for an open incident, once. Incidents live in memory: after a restart, a region still dead opens
 * a new one when its state is known again.
 *
 * <p>Thread-safe (journal listeners run on whichever thread appends); every call is a few map
 * operations, never I/O.
 */
public final class Incidents {
    private record Open(String id, String phase, Severity severity) {}

    /** What one event does to one incident: open or update it (phase set), or resolve it. */
    record Step(String key, String phase) {
        boolean resolves() {
            return phase == null;
        }
    }

    private final Map<String, Open> open = new HashMap<>();

    /** The notifications this event causes: none, one, or (a relay change) two. */
    public synchronized List<Notification> on(JournalEvent e) {
        List<Notification> out = new ArrayList<>();
        for (Step s : steps(e.event())) {
            apply(s, e).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Notification> apply(Step s, JournalEvent e) {
        Open current = open.get(s.key());
        if (s.resolves()) {
            if (current == null) {
                return Optional.empty();
            }
            open.remove(s.key());
            return Optional.of(notification(current.id(), Status.RESOLVED, current.severity(), e));
        }
        if (current == null) {
            Open o = new Open(s.key() + "#" + e.seq(), s.phase(), e.severity());
            open.put(s.key(), o);
            return Optional.of(notification(o.id(), Status.FIRING, o.severity(), e));
        }
        boolean samePhase = current.phase().equals(s.phase());
        boolean higher = e.severity().compareTo(current.severity()) > 0;
        if (samePhase && !higher) {
            return Optional.empty();
        }
        Severity severity = higher ? e.severity() : current.severity();
        Open o = new Open(current.id(), s.phase(), severity);
        open.put(s.key(), o);
        return Optional.of(notification(o.id(), Status.FIRING, severity, e));
    }

    private static Notification notification(
            String incident, Status status, Severity severity, JournalEvent e) {
        return new Notification(
                deliveryId(e.node(), incident, e.seq()),
                incident,
                status,
                severity,
                e.type(),
                e.region(),
                e.target(),
                e.message(),
                e.time(),
                e.node(),
                e.seq(),
                e.data());
    }

    /**
     * Stable across retries, distinct for every message: one event of one node causes at most one
     * message per incident.
     */
    static String deliveryId(String node, String incident, long seq) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    (node + "\n" + incident + "\n" + seq)
                                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** What an event does to incidents; nothing for events that are not about one. */
    static List<Step> steps(Event e) {
        if (e instanceof RegionStateChanged r) {
            return regionStep(r);
        }
        if (e instanceof QuorumLost) {
            return List.of(new Step("quorum", "lost"));
        }
        if (e instanceof QuorumRegained) {
            return List.of(new Step("quorum", null));
        }
        if (e instanceof AllRegionsDown) {
            return List.of(new Step("all-regions-down", "down"));
        }
        if (e instanceof AllRegionsDownResolved) {
            return List.of(new Step("all-regions-down", null));
        }
        if (e instanceof GuardEvent g) {
            // the hold-down holds back every recovered region for a while: part of every recovery
            return g.guard() == Guard.HOLD_DOWN
                    ? List.of()
                    : List.of(new Step(guardKey(g), g instanceof GuardFired ? "fired" : null));
        }
        if (e instanceof ActuatorEvent a) {
            return actuatorSteps(a);
        }
        if (e instanceof PeerEvent.AbstentionStarted a) {
            return List.of(new Step("abstaining/" + a.vantage(), "abstaining"));
        }
        if (e instanceof PeerEvent.AbstentionEnded a) {
            return List.of(new Step("abstaining/" + a.vantage(), null));
        }
        return List.of();
    }

    private static List<Step> regionStep(RegionStateChanged r) {
        RegionState s = r.evidence().state();
        String key = "region/" + r.region();
        return switch (s) {
            case DEAD, RELAYING, DRAINED -> List.of(new Step(key, s.label()));
            case HEALTHY, DEGRADED -> List.of(new Step(key, null));
            case UNKNOWN -> List.of();
        };
    }

    /**
     * Failures open (or escalate) the actuator's incident; anything that shows it works again
     * resolves it, a relay change included.
     */
    private static List<Step> actuatorSteps(ActuatorEvent a) {
        String apply = "apply/" + a.actuator();
        if (a instanceof RelayOn on) {
            return List.of(
                    new Step("relay/" + on.region(), "on:" + on.target()), new Step(apply, null));
        }
        if (a instanceof RelayOff off) {
            return List.of(new Step("relay/" + off.region(), null), new Step(apply, null));
        }
        return switch (a.type()) {
            case APPLY_FAILED -> List.of(new Step(apply, "failing"));
            case ACTUATOR_STOPPED -> List.of(new Step(apply, "stopped"));
            case APPLY_OK, ACTUATOR_RESUMED -> List.of(new Step(apply, null));
            default -> List.of();
        };
    }

    private static String guardKey(GuardEvent g) {
        return "guard/" + g.guard().label() + "/" + g.region().or(g::record).orElse("-");
    }
}
