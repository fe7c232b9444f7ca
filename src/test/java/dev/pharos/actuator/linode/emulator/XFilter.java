package dev.pharos.actuator.linode.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.testing.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Linode's {@code X-Filter} header on a list: a JSON object whose keys are fields of the listed
 * objects (several keys: all must match), or {@code +and} / {@code +or} over a list of such
 * objects, with {@code +order_by} and {@code +order} to sort. Only fields the API description marks
 * Filterable may be named (Linode answers 400 otherwise); the other operators Linode has ({@code
 * +gt}, {@code +contains}, ...) are refused here, so a client that starts to use one is noticed.
 */
final class XFilter {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final JsonNode filter;

    private XFilter(JsonNode filter) {
        this.filter = filter;
    }

    /** Thrown for a filter Linode would refuse; the message is Linode-like. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses the header and checks every named field against {@code filterable}; {@code null}
     * filterable (no API description): any field.
     */
    static XFilter parse(String header, Set<String> filterable) throws Refused {
        JsonNode f;
        try {
            f = JSON.readTree(header);
        } catch (Exception e) {
            throw new Refused("X-Filter is not valid JSON");
        }
        if (f == null || !f.isObject()) {
            throw new Refused("X-Filter must be a JSON object");
        }
        check(f, filterable, true);
        return new XFilter(f);
    }

    private static void check(JsonNode f, Set<String> filterable, boolean top) throws Refused {
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "+and", "+or" -> {
                    if (!v.isArray()) {
                        throw new Refused(key + " must be a list of filters");
                    }
                    for (JsonNode sub : v) {
                        if (!sub.isObject()) {
                            throw new Refused(key + " must be a list of filters");
                        }
                        check(sub, filterable, false);
                    }
                }
                case "+order_by", "+order" -> {
                    if (!top || !v.isTextual()) {
                        throw new Refused(key + " must be a string at the top of the filter");
                    }
                    if (key.equals("+order_by")
                            && filterable != null
                            && !filterable.contains(v.asText())) {
                        throw new Refused("Cannot order by " + v.asText());
                    }
                }
                default -> {
                    if (key.startsWith("+")) {
                        throw new Refused("the emulator does not implement " + key);
                    }
                    if (filterable != null && !filterable.contains(key)) {
                        throw new Refused("Cannot filter on " + key);
                    }
                    if (v.isContainerNode()) {
                        throw new Refused("the emulator compares " + key + " by equality only");
                    }
                }
            }
        }
    }

    /** The matching objects, in the requested order (by id otherwise, as Linode lists them). */
    <T extends JsonNode> List<T> apply(List<T> all) {
        List<T> out = new ArrayList<>();
        for (T n : all) {
            if (matches(filter, n)) {
                out.add(n);
            }
        }
        if (filter.has("+order_by")) {
            String field = filter.get("+order_by").asText();
            Comparator<T> c = Comparator.comparing(n -> n.path(field).asText());
            out.sort("desc".equals(filter.path("+order").asText()) ? c.reversed() : c);
        }
        return out;
    }

    private static boolean matches(JsonNode f, JsonNode n) {
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean ok =
                    switch (e.getKey()) {
                        case "+and" -> all(e.getValue(), n);
                        case "+or" -> any(e.getValue(), n);
                        case "+order_by", "+order" -> true;
                        default -> equal(n.get(e.getKey()), e.getValue());
                    };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean all(JsonNode list, JsonNode n) {
        for (JsonNode f : list) {
            if (!matches(f, n)) {
                return false;
            }
        }
        return true;
    }

    private static boolean any(JsonNode list, JsonNode n) {
        for (JsonNode f : list) {
            if (matches(f, n)) {
                return true;
            }
        }
        return false;
    }

    /** A scalar field equals the value; a list field (tags) contains it. */
    private static boolean equal(JsonNode field, JsonNode value) {
        if (field == null || field.isNull()) {
            return value.isNull();
        }
        if (field.isArray()) {
            for (JsonNode x : field) {
                if (x.asText().equals(value.asText())) {
                    return true;
                }
            }
            return false;
        }
        return field.asText().equals(value.asText());
    }
}
