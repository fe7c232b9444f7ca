package dev.pharos.alert;

import dev.pharos.journal.EventType;
import dev.pharos.journal.Severity;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One message about an incident, as every receiver gets it.
 *
 * @param id stable delivery id (the same on every retry): receivers de-duplicate on it
 * @param incident the incident's key and the journal sequence number of the event that opened it,
 *     e.g. {@code region/europe#1234}
 * @param severity the highest severity the incident has reached (a resolution keeps it, so it
 *     passes the same filters as the messages it closes)
 * @param event the journal event behind this message
 * @param seq that event's sequence number in the journal of {@code node}
 * @param data the event's structured evidence (never secrets)
 */
public record Notification(
        String id,
        String incident,
        Status status,
        Severity severity,
        EventType event,
        String region,
        String target,
        String message,
        Instant time,
        String node,
        long seq,
        Map<String, Object> data) {

    /** Whether the incident is open or closed by this message. */
    public enum Status {
        FIRING,
        RESOLVED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
