package dev.pharos.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads Alertmanager's webhook payload, version 4, and checks the parts Pharos relies on: {@code
 * version}, and for every alert {@code status} (firing or resolved), {@code labels} (strings),
 * {@code startsAt} and {@code endsAt} (RFC 3339). Other fields are ignored. Every problem names the
 * field, e.g. {@code alerts[2].status: must be "firing" or "resolved"}.
 */
public final class AlertmanagerPayload {
    /** At most this many alerts in one payload. */
    static final int MAX_ALERTS = 1000;

    static final int MAX_LABELS = 64;
    static final int MAX_TEXT = 1024;

    /** Alertmanager's "no end time": Go's zero time. */
    private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    /** The payload does not fit the format; the message says where. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private AlertmanagerPayload() {}

    public static List<InboundAlert> parse(byte[] body, ObjectMapper json) throws Invalid {
        if (body == null || body.length == 0) {
            throw new Invalid("an Alertmanager webhook payload (JSON) is required");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Invalid(
                    "malformed JSON"
                            + (e.getLocation() == null
                                    ? ""
                                    : " at line "
                                            + e.getLocation().getLineNr()
                                            + ", column "
                                            + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new Invalid("malformed JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("the payload must be a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null || version.isNull()) {
            throw new Invalid("version: required (\"4\", Alertmanager's webhook format)");
        }
        if (!version.isTextual() || !"4".equals(version.asText())) {
            throw new Invalid(
                    "version: " + shorten(version.toString()) + " is not supported (only \"4\")");
        }
        JsonNode status = root.get("status");
        if (status != null && !status.isNull() && !firingOrResolved(status)) {
            throw new Invalid("status: must be \"firing\" or \"resolved\"");
        }
        JsonNode alerts = root.get("alerts");
        if (alerts == null || !alerts.isArray()) {
            throw new Invalid("alerts: required, a list");
        }
        if (alerts.size() > MAX_ALERTS) {
            throw new Invalid("alerts: " + alerts.size() + " alerts, at most " + MAX_ALERTS);
        }
        List<InboundAlert> out = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            out.add(alert("alerts[" + i + "]", alerts.get(i)));
        }
        return out;
    }

    private static InboundAlert alert(String key, JsonNode a) throws Invalid {
        if (!a.isObject()) {
            throw new Invalid(key + ": must be an object");
        }
        JsonNode status = a.get("status");
        if (status == null || !firingOrResolved(status)) {
            throw new Invalid(key + ".status: must be \"firing\" or \"resolved\"");
        }
        Map<String, String> labels = strings(key + ".labels", a.get("labels"), true);
        Map<String, String> annotations =
                strings(key + ".annotations", a.get("annotations"), false);
        Instant startsAt =
                time(key + ".startsAt", a.get("startsAt"))
                        .orElseThrow(
                                () -> new Invalid(key + ".startsAt: required, an RFC 3339 time"));
        Optional<Instant> endsAt = time(key + ".endsAt", a.get("endsAt"));
        JsonNode fp = a.get("fingerprint");
        String fingerprint =
                fp != null && fp.isTextual() && !fp.asText().isBlank()
                        ? shorten(fp.asText())
                        : fingerprint(labels);
        return new InboundAlert(
                "firing".equals(status.asText()),
                labels,
                annotations,
                startsAt,
                endsAt,
                fingerprint);
    }

    private static boolean firingOrResolved(JsonNode n) {
        return n.isTextual() && ("firing".equals(n.asText()) || "resolved".equals(n.asText()));
    }

    private static Map<String, String> strings(String key, JsonNode n, boolean required)
            throws Invalid {
        if (n == null || n.isNull()) {
            if (required) {
                throw new Invalid(key + ": required, an object of strings");
            }
            return Map.of();
        }
        if (!n.isObject()) {
            throw new Invalid(key + ": must be an object of strings");
        }
        if (n.size() > MAX_LABELS) {
            throw new Invalid(key + ": " + n.size() + " entries, at most " + MAX_LABELS);
        }
        Map<String, String> out = new LinkedHashMap<>();
        var it = n.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new Invalid(key + "." + shorten(e.getKey()) + ": must be a string");
            }
            out.put(shorten(e.getKey()), shorten(e.getValue().asText()));
        }
        return out;
    }

    /** An RFC 3339 time; absent if missing, null, empty or Go's zero time. */
    private static Optional<Instant> time(String key, JsonNode n) throws Invalid {
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty())) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new Invalid(key + ": must be an RFC 3339 time");
        }
        try {
            Instant t = OffsetDateTime.parse(n.asText()).toInstant();
            return t.equals(ZERO_TIME) ? Optional.empty() : Optional.of(t);
        } catch (DateTimeParseException e) {
            throw new Invalid(key + ": " + shorten(n.asText()) + " is not an RFC 3339 time");
        }
    }

    /** The labels, sorted, hashed: the same alert gets the same fingerprint. */
    static String fingerprint(Map<String, String> labels) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(labels).forEach((k, v) -> s.append(k).append('\0').append(v).append('\0'));
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Long texts cut, control characters removed: they end up in the journal and the log. */
    public static String shorten(String s) {
        String one = s.replaceAll("[\\p{Cntrl}]", " ");
        return one.length() > MAX_TEXT ? one.substring(0, MAX_TEXT) + "..." : one;
    }
}
