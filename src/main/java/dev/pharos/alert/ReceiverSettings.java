package dev.pharos.alert;

import dev.pharos.config.AlertSettings;
import dev.pharos.config.Secret;
import dev.pharos.journal.EventType;
import dev.pharos.journal.Severity;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One outbound receiver, as validated by the topology builder.
 *
 * @param events the event types whose incidents it hears about (empty: all)
 */
public record ReceiverSettings(
        String name,
        AlertSettings.ReceiverType type,
        URI url,
        Optional<String> secret,
        Severity minSeverity,
        Set<EventType> events) {

    public ReceiverSettings {
        events = events.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(events));
    }

    /** Whether a firing message is for this receiver (resolutions follow what it was told). */
    public boolean wants(Notification n) {
        return n.severity().compareTo(minSeverity) >= 0
                && (events.isEmpty() || events.contains(n.event()));
    }

    public static List<ReceiverSettings> from(AlertSettings alerts) {
        return alerts.receivers().stream().map(ReceiverSettings::from).toList();
    }

    static ReceiverSettings from(AlertSettings.Receiver r) {
        Set<EventType> events = EnumSet.noneOf(EventType.class);
        r.events().forEach(e -> events.add(EventType.parse(e)));
        return new ReceiverSettings(
                r.name(),
                r.type(),
                r.url(),
                r.secret().map(Secret::value),
                Severity.parse(r.minSeverity()),
                events);
    }

    /** Never the secret or the URL (a Slack URL is a secret too). */
    @Override
    public String toString() {
        return "receiver " + name + " (" + type.label() + ")";
    }
}
