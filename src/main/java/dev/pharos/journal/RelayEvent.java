package dev.pharos.journal;

import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.lb.RelayChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Events of the relay reconciler: relays turned on and off, the plans it does not apply, and its
 * failures.
 */
public sealed interface RelayEvent extends ActuatorEvent {

    /**
     * A region's relay forwards, to {@code target}'s load balancer at {@code endpoint}.
     *
     * @param target the region the relay forwards to
     */
    record RelayOn(String region, String target, String endpoint, String actuator, String message)
            implements RelayEvent {

        public static RelayOn of(
                String region, String target, String endpoint, String actuator, String reason) {
            return new RelayOn(
                    region,
                    target,
                    endpoint,
                    actuator,
                    "relay of "
                            + region
                            + " on, forwarding to "
                            + target
                            + " ("
                            + endpoint
                            + "): "
                            + reason);
        }

        @Override
        public EventType type() {
            return EventType.RELAY_ON;
        }

        @Override
        public Severity severity() {
            return Severity.WARNING;
        }

        @Override
        public Optional<String> aboutRegion() {
            return Optional.of(region);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("target", target)
                    .put("endpoint", endpoint)
                    .put("actuator", actuator)
                    .map();
        }

        static RelayOn read(Line l) {
            return new RelayOn(
                    l.requireRegion(),
                    l.data().text("target"),
                    l.data().text("endpoint"),
                    l.data().text("actuator"),
                    l.message());
        }
    }

    /**
     * A relay change about to be made (journaled before it, like a DNS apply's intent); its outcome
     * follows as {@link RelayOn}, {@link RelayOff} or {@link RelayFailed}.
     *
     * @param target the region the relay is to forward to; empty: it is to be off
     * @param drift the relay was found changed since this instance last set it (a reloaded load
     *     balancer, a change by hand): the change repairs it without a new decision
     */
    record RelayIntent(
            String region,
            Optional<String> target,
            Optional<String> endpoint,
            String actuator,
            boolean drift,
            String message)
            implements RelayEvent {

        public static RelayIntent of(RelayChange change, String actuator, boolean drift) {
            return new RelayIntent(
                    change.region(),
                    change.target(),
                    change.endpoint(),
                    actuator,
                    drift,
                    "changing: "
                            + change
                            + (drift
                                    ? " (found changed since Pharos last set it: a reloaded load"
                                            + " balancer or a change by hand)"
                                    : "")
                            + ": "
                            + change.reason());
        }

        @Override
        public EventType type() {
            return EventType.APPLY_INTENT;
        }

        @Override
        public Severity severity() {
            return drift ? Severity.WARNING : Severity.INFO;
        }

        @Override
        public Optional<String> aboutRegion() {
            return Optional.of(region);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .putPresent("target", target)
                    .putPresent("endpoint", endpoint)
                    .put("actuator", actuator)
                    .put("relay", true)
                    .put("drift", drift)
                    .map();
        }

        static RelayIntent read(Line l) {
            return new RelayIntent(
                    l.requireRegion(),
                    l.data().optionalText("target"),
                    l.data().optionalText("endpoint"),
                    l.data().text("actuator"),
                    l.data().flag("drift"),
                    l.message());
        }
    }

    /** A region's relay is out of rotation and forwards nowhere. */
    record RelayOff(String region, String actuator, String message) implements RelayEvent {
        public static RelayOff of(String region, String actuator, String reason) {
            return new RelayOff(region, actuator, "relay of " + region + " off: " + reason);
        }

        @Override
        public EventType type() {
            return EventType.RELAY_OFF;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Optional<String> aboutRegion() {
            return Optional.of(region);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("actuator", actuator).map();
        }

        static RelayOff read(Line l) {
            return new RelayOff(l.requireRegion(), l.data().text("actuator"), l.message());
        }
    }

    /** Changing a region's relay failed; the reconciler tries again. */
    record RelayFailed(String region, String actuator, long retryInMs, String message)
            implements RelayEvent {

        public static RelayFailed of(
                String region, String actuator, int attempt, Duration retryIn, String error) {
            return new RelayFailed(
                    region,
                    actuator,
                    retryIn.toMillis(),
                    "relay of "
                            + region
                            + " via "
                            + actuator
                            + " failed (attempt "
                            + attempt
                            + ", retrying): "
                            + error);
        }

        @Override
        public EventType type() {
            return EventType.APPLY_FAILED;
        }

        @Override
        public Severity severity() {
            return Severity.WARNING;
        }

        @Override
        public Optional<String> aboutRegion() {
            return Optional.of(region);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("actuator", actuator).put("retryInMs", retryInMs).map();
        }

        static RelayFailed read(Line l) {
            return new RelayFailed(
                    l.requireRegion(),
                    l.data().text("actuator"),
                    l.data().number("retryInMs"),
                    l.message());
        }
    }

    /** Every relay is as desired again after failures. */
    record RelayRecovered(String actuator, String message) implements RelayEvent {
        public static RelayRecovered of(String actuator, int failures) {
            return new RelayRecovered(
                    actuator,
                    "relay actuator "
                            + actuator
                            + " works again after "
                            + failures
                            + " failed attempts");
        }

        @Override
        public EventType type() {
            return EventType.APPLY_OK;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("actuator", actuator).put("recovered", true).map();
        }

        static RelayRecovered read(Line l) {
            return new RelayRecovered(l.data().text("actuator"), l.message());
        }
    }

    /**
     * Relay changes this instance computed and does not apply (dry run, or not the actuating one),
     * journaled like a DNS plan with the same type.
     */
    record RelayPlan(String actuator, List<Relay> relays, String message) implements RelayEvent {
        /**
         * One relay's change.
         *
         * @param target the region it would forward to; empty: it would be off
         * @param endpoint that region's load balancer
         */
        public record Relay(String region, Optional<String> target, Optional<String> endpoint) {
            Map<String, Object> data() {
                return Data.of()
                        .put("region", region)
                        .putPresent("target", target)
                        .putPresent("endpoint", endpoint)
                        .map();
            }

            static Relay read(Fields f) {
                return new Relay(
                        f.text("region"), f.optionalText("target"), f.optionalText("endpoint"));
            }
        }

        public RelayPlan {
            relays = List.copyOf(relays);
        }

        public static RelayPlan of(String actuator, ActuatorMode mode, List<RelayChange> changes) {
            return new RelayPlan(
                    actuator,
                    changes.stream()
                            .map(c -> new Relay(c.region(), c.target(), c.endpoint()))
                            .toList(),
                    DnsEvent.Plan.notApplied(mode)
                            + changes.stream()
                                    .map(RelayChange::toString)
                                    .collect(Collectors.joining("; ")));
        }

        @Override
        public EventType type() {
            return EventType.PLAN;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("actuator", actuator)
                    .put("relays", relays.stream().map(Relay::data).toList())
                    .map();
        }

        static RelayPlan read(Line l) {
            return new RelayPlan(
                    l.data().text("actuator"), l.data().list("relays", Relay::read), l.message());
        }
    }
}
