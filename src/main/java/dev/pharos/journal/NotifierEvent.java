package dev.pharos.journal;

import java.util.Map;
import java.util.Optional;

/** Events of notifications out. */
public sealed interface NotifierEvent extends Event {

    /**
     * A notification was given up (never itself notified).
     *
     * @param id the message's delivery id
     * @param status the incident's status in that message, "firing" or "resolved"
     * @param event the type of the event behind the message
     */
    record NotificationFailed(
            Optional<String> region,
            Optional<String> target,
            String receiver,
            String id,
            String incident,
            String status,
            EventType event,
            int attempts,
            String reason,
            String message)
            implements NotifierEvent {

        public static NotificationFailed of(
                Optional<String> region,
                Optional<String> target,
                String receiver,
                String id,
                String incident,
                String status,
                EventType event,
                int attempts,
                String reason) {
            return new NotificationFailed(
                    region,
                    target,
                    receiver,
                    id,
                    incident,
                    status,
                    event,
                    attempts,
                    reason,
                    "notification of "
                            + incident
                            + " ("
                            + status
                            + ") to receiver "
                            + receiver
                            + " given up after "
                            + attempts
                            + " attempts: "
                            + reason);
        }

        @Override
        public EventType type() {
            return EventType.NOTIFICATION_FAILED;
        }

        @Override
        public Severity severity() {
            return Severity.WARNING;
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
                    .put("receiver", receiver)
                    .put("id", id)
                    .put("incident", incident)
                    .put("status", status)
                    .put("event", event.label())
                    .put("attempts", attempts)
                    .put("reason", reason)
                    .map();
        }

        static NotificationFailed read(Line l) {
            Fields d = l.data();
            return new NotificationFailed(
                    l.region(),
                    l.target(),
                    d.text("receiver"),
                    d.text("id"),
                    d.text("incident"),
                    d.text("status"),
                    EventType.parse(d.text("event")),
                    d.integer("attempts"),
                    d.text("reason"),
                    l.message());
        }
    }
}
