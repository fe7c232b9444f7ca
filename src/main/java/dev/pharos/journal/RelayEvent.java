package dev.pharos.journal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Events of the relay reconciler: relays turned on and off, and its failures. */
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
}
