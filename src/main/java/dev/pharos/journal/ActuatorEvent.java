package dev.pharos.journal;

import java.util.Map;
import java.util.Optional;

/** Events of the actuators: DNS providers ({@link DnsEvent}) and relays ({@link RelayEvent}). */
public sealed interface ActuatorEvent extends Event
        permits DnsEvent, RelayEvent, ActuatorEvent.ActuatorStopped, ActuatorEvent.ActuatorResumed {

    /** The actuator's name: the provider's configuration name. */
    String actuator();

    /**
     * A permanent error stopped the actuator until an operator resumes it.
     *
     * @param region the region whose relay failed, for a relay actuator
     */
    record ActuatorStopped(String actuator, Optional<String> region, String message)
            implements ActuatorEvent {

        public static ActuatorStopped of(String actuator, Optional<String> region, String error) {
            return new ActuatorStopped(
                    actuator,
                    region,
                    "actuator "
                            + actuator
                            + " stopped: "
                            + error
                            + "; fix the cause, then POST /api/v1/actuators/"
                            + actuator
                            + "/resume");
        }

        @Override
        public EventType type() {
            return EventType.ACTUATOR_STOPPED;
        }

        @Override
        public Severity severity() {
            return Severity.CRITICAL;
        }

        @Override
        public Optional<String> aboutRegion() {
            return region;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("actuator", actuator).map();
        }

        static ActuatorStopped read(Line l) {
            return new ActuatorStopped(l.data().text("actuator"), l.region(), l.message());
        }
    }

    /** An operator resumed a stopped actuator. */
    record ActuatorResumed(String actuator, String message) implements ActuatorEvent {
        public static ActuatorResumed of(String actuator) {
            return new ActuatorResumed(actuator, "actuator " + actuator + " resumed");
        }

        @Override
        public EventType type() {
            return EventType.ACTUATOR_RESUMED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("actuator", actuator).map();
        }

        static ActuatorResumed read(Line l) {
            return new ActuatorResumed(l.data().text("actuator"), l.message());
        }
    }
}
