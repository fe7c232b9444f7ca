package dev.pharos.journal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One journal line: its sequence number, when and by which vantage point it was written, and the
 * typed event. As JSON (the file, the events API) it is the flat object Pharos has always written:
 * {@code seq, time, node, type, severity, message} and, where they apply, {@code region, target}
 * and {@code data}.
 *
 * @param seq strictly increasing, also across restarts
 * @param node the vantage point that wrote it
 * @param term the writer's term, when the vantage point wrote it while holding the writer's lease
 *     (coordination by etcd); null otherwise (the line has no {@code term})
 */
public record JournalEvent(long seq, Instant time, String node, Long term, Event event) {

    public JournalEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(event, "event");
    }

    /** A line written without a writer's term. */
    public JournalEvent(long seq, Instant time, String node, Event event) {
        this(seq, time, node, null, event);
    }

    public EventType type() {
        return event.type();
    }

    public Severity severity() {
        return event.severity();
    }

    /** The region the event is about, or null (the line has no {@code region}). */
    public String region() {
        return event.aboutRegion().orElse(null);
    }

    /** The target the event is about, or null (the line has no {@code target}). */
    public String target() {
        return event.aboutTarget().orElse(null);
    }

    public String message() {
        return event.message();
    }

    /** The evidence (verdicts and voters, plans, errors); empty when the line has none. */
    public Map<String, Object> data() {
        return event.data();
    }

    /** The line as JSON, fields in their usual order. */
    @JsonValue
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("time", time);
        m.put("node", node);
        if (term != null) {
            m.put("term", term);
        }
        m.put("type", type());
        m.put("severity", severity());
        event.aboutRegion().ifPresent(r -> m.put("region", r));
        event.aboutTarget().ifPresent(t -> m.put("target", t));
        m.put("message", message());
        Map<String, Object> data = data();
        if (!data.isEmpty()) {
            m.put("data", data);
        }
        return m;
    }

    /**
     * Reads a line parsed as a JSON object.
     *
     * @throws IllegalArgumentException naming the field this version does not understand
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static JournalEvent read(Map<String, Object> json) {
        Fields line = new Fields("", json);
        Fields data = line.has("data") ? line.object("data") : new Fields("data.", Map.of());
        Line l =
                new Line(
                        line.constant("type", EventType.class),
                        line.constant("severity", Severity.class),
                        line.optionalText("region"),
                        line.optionalText("target"),
                        line.text("message"),
                        data);
        return new JournalEvent(
                line.number("seq"),
                line.instant("time"),
                line.text("node"),
                line.has("term") ? line.number("term") : null,
                Events.read(l));
    }
}
