package dev.pharos.journal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Events of alerts in: alerts received, and the re-probes they cause here and at peers. */
public sealed interface AlertEvent extends Event {

    /**
     * An inbound alert as Alertmanager sent it (labels cut to size, never a secret).
     *
     * @param endsAt absent when Alertmanager sent none
     */
    record Alert(
            boolean firing,
            Map<String, String> labels,
            Optional<String> summary,
            Instant startsAt,
            Optional<Instant> endsAt,
            String fingerprint) {

        public Alert {
            labels = Data.ordered(labels);
        }

        public String status() {
            return firing ? "firing" : "resolved";
        }
    }

    /**
     * An inbound alert was accepted.
     *
     * @param severity the alert's own (its severity label), info once resolved
     * @param region the region its labels name, directly or through its target
     * @param target the target its labels name
     * @param targets the targets re-probed for it; empty if none
     * @param vote "DOWN" or "none", when alerts count as votes and it names targets to vote on
     */
    record AlertReceived(
            Alert alert,
            Severity severity,
            Optional<String> region,
            Optional<String> target,
            List<String> targets,
            Optional<String> vote,
            String message)
            implements AlertEvent {

        public AlertReceived {
            targets = List.copyOf(targets);
        }

        public static AlertReceived of(
                String name,
                Alert alert,
                Severity severity,
                Optional<String> region,
                Optional<String> target,
                List<String> targets,
                Optional<String> vote) {
            String about =
                    target.map(t -> " (target " + t + ")")
                            .or(() -> region.map(r -> " (region " + r + ")"))
                            .orElse("");
            return new AlertReceived(
                    alert,
                    severity,
                    region,
                    target,
                    targets,
                    vote,
                    "alert " + name + " " + alert.status() + about);
        }

        @Override
        public EventType type() {
            return EventType.ALERT_RECEIVED;
        }

        @Override
        public Optional<String> aboutRegion() {
            return region;
        }

        @Override
        public Optional<String> aboutTarget() {
            return target;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("status", alert.status())
                    .put("labels", alert.labels())
                    .putPresent("summary", alert.summary())
                    .put("startsAt", alert.startsAt().toString())
                    .putPresent("endsAt", alert.endsAt().map(Instant::toString))
                    .put("fingerprint", alert.fingerprint())
                    .putNonEmpty("targets", targets)
                    .putPresent("vote", vote)
                    .map();
        }

        static AlertReceived read(Line l) {
            Fields d = l.data();
            String status = d.text("status");
            if (!status.equals("firing") && !status.equals("resolved")) {
                throw new IllegalArgumentException("data.status: not firing or resolved");
            }
            return new AlertReceived(
                    new Alert(
                            status.equals("firing"),
                            d.textMap("labels"),
                            d.optionalText("summary"),
                            d.instant("startsAt"),
                            d.optionalInstant("endsAt"),
                            d.text("fingerprint")),
                    l.severity(),
                    l.region(),
                    l.target(),
                    d.textsOrEmpty("targets"),
                    d.optionalText("vote"),
                    l.message());
        }
    }

    /** Targets re-probed at once, for fast confirmation of an alert. */
    sealed interface Reprobing extends AlertEvent {
        /** The region all the targets belong to, if they share one. */
        Optional<String> region();

        List<String> targets();

        @Override
        default EventType type() {
            return EventType.REPROBE;
        }

        @Override
        default Severity severity() {
            return Severity.INFO;
        }

        @Override
        default Optional<String> aboutRegion() {
            return region();
        }

        /** The target, when it is only one. */
        @Override
        default Optional<String> aboutTarget() {
            return targets().size() == 1 ? Optional.of(targets().get(0)) : Optional.empty();
        }
    }

    /**
     * Targets are re-probed here and the peers are asked to do the same.
     *
     * @param vantagePoints this one first, then the peers asked
     */
    record Reprobe(
            Optional<String> region,
            List<String> targets,
            List<String> vantagePoints,
            String reason,
            String message)
            implements Reprobing {

        public Reprobe {
            targets = List.copyOf(targets);
            vantagePoints = List.copyOf(vantagePoints);
        }

        public static Reprobe of(
                Optional<String> region,
                List<String> targets,
                List<String> vantagePoints,
                String reason) {
            return new Reprobe(
                    region,
                    targets,
                    vantagePoints,
                    reason,
                    "re-probing "
                            + String.join(", ", targets)
                            + " from "
                            + (vantagePoints.size() <= 1
                                    ? "this vantage point"
                                    : "every vantage point ("
                                            + String.join(", ", vantagePoints)
                                            + ")")
                            + ": "
                            + reason);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("targets", targets)
                    .put("vantagePoints", vantagePoints)
                    .put("reason", reason)
                    .map();
        }

        static Reprobe read(Line l) {
            return new Reprobe(
                    l.region(),
                    l.data().texts("targets"),
                    l.data().texts("vantagePoints"),
                    l.data().text("reason"),
                    l.message());
        }
    }

    /** A peer asked this vantage point to re-probe targets. */
    record PeerReprobe(
            Optional<String> region, List<String> targets, String by, String reason, String message)
            implements Reprobing {

        public PeerReprobe {
            targets = List.copyOf(targets);
        }

        public static PeerReprobe of(
                Optional<String> region, List<String> targets, String by, String reason) {
            return new PeerReprobe(
                    region,
                    targets,
                    by,
                    reason,
                    "re-probing "
                            + String.join(", ", targets)
                            + " at the request of "
                            + by
                            + ": "
                            + reason);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("targets", targets).put("by", by).put("reason", reason).map();
        }

        static PeerReprobe read(Line l) {
            return new PeerReprobe(
                    l.region(),
                    l.data().texts("targets"),
                    l.data().text("by"),
                    l.data().text("reason"),
                    l.message());
        }
    }
}
