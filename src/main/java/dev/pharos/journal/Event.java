package dev.pharos.journal;

import java.util.Map;
import java.util.Optional;

/**
 * What one journal line says, typed: one record per kind of event (grouped by the stage that
 * journals it), each knowing its {@link EventType}, severity, the region and target it is about,
 * its message and its data, the JSON object operators read with {@code jq}, the events API shows
 * and receivers get. {@link Journal} writes them as the lines Pharos has always written (field
 * names, type names and data keys are stable) and reads them back.
 *
 * <p>An event keeps the message it was written with, so one read from an older journal shows the
 * words of the version that wrote it; each record's {@code of} factory words a new one.
 */
public sealed interface Event
        permits PipelineEvent,
                DecisionEvent,
                OperatorEvent,
                ActuatorEvent,
                AlertEvent,
                NotifierEvent,
                PeerEvent {

    EventType type();

    Severity severity();

    /** The region the event is about, if it is about one (the line's {@code region}). */
    default Optional<String> aboutRegion() {
        return Optional.empty();
    }

    /** The target the event is about, if it is about one (the line's {@code target}). */
    default Optional<String> aboutTarget() {
        return Optional.empty();
    }

    String message();

    /** The evidence, as plain JSON values; never secrets. Empty: the line has no data. */
    Map<String, Object> data();
}
