package dev.pharos.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.alert.Notification.Status;
import dev.pharos.journal.Severity;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The bodies receivers get: signed webhook JSON, or a Slack-compatible {"text": ...}. */
final class Payloads {
    /** The version of the webhook body's shape; it changes only if a field changes meaning. */
    static final String VERSION = "1";

    private final ObjectMapper json;

    Payloads(ObjectMapper json) {
        this.json = json;
    }

    byte[] webhook(Notification n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("id", n.id());
        m.put("incident", n.incident());
        m.put("status", n.status().label());
        m.put("severity", n.severity().label());
        m.put("event", n.event().label());
        m.put("region", n.region());
        m.put("target", n.target());
        m.put("message", n.message());
        m.put("time", n.time().toString());
        m.put("node", n.node());
        m.put("seq", n.seq());
        m.put("data", n.data());
        return write(m);
    }

    byte[] slack(Notification n) {
        return write(Map.of("text", slackText(n)));
    }

    /** One readable message: what happened, how bad, where, and which incident it belongs to. */
    static String slackText(Notification n) {
        String icon =
                n.status() == Status.RESOLVED
                        ? ":white_check_mark:"
                        : n.severity() == Severity.CRITICAL
                                ? ":red_circle:"
                                : n.severity() == Severity.WARNING
                                        ? ":warning:"
                                        : ":information_source:";
        String head =
                n.status() == Status.RESOLVED
                        ? "RESOLVED"
                        : "FIRING " + n.severity().label().toUpperCase(Locale.ROOT);
        return icon
                + " *"
                + head
                + "* "
                + escape(n.message())
                + "\n_Pharos "
                + escape(n.node())
                + " · "
                + n.event().label()
                + " · incident "
                + escape(n.incident())
                + " · "
                + n.time()
                + "_";
    }

    /** Slack's three control characters in message text. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private byte[] write(Object o) {
        try {
            return json.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
