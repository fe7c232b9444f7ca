package dev.pharos.actuator.linode.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pharos.testing.Json;
import java.util.List;
import java.util.Map;

/** One answer of the emulator, and the shapes every route shares: pages, errors, bodies. */
record Reply(int status, JsonNode body, Map<String, String> headers) {
    static final ObjectMapper JSON = Json.MAPPER;

    Reply(int status, JsonNode body) {
        this(status, body, Map.of());
    }

    /** One page of a list (after the X-Filter, if any), as Linode pages it. */
    static Reply page(
            Map<String, List<String>> query, XFilter filter, List<? extends JsonNode> listed) {
        List<? extends JsonNode> all = filter == null ? listed : filter.apply(listed);
        int page = intParam(query, "page", 1);
        int size = intParam(query, "page_size", 100);
        if (page < 1) {
            return new Reply(400, error("page", "Must be at least 1"));
        }
        if (size < 25 || size > 500) {
            return new Reply(400, error("page_size", "Must be between 25 and 500"));
        }
        int pages = Math.max(1, (all.size() + size - 1) / size);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode data = out.putArray("data");
        for (int i = (page - 1) * size; i < Math.min(all.size(), page * size); i++) {
            data.add(all.get(i));
        }
        out.put("page", page);
        out.put("pages", pages);
        out.put("results", all.size());
        return new Reply(200, out);
    }

    private static int intParam(Map<String, List<String>> query, String name, int dflt) {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.get(0));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    static ObjectNode error(String field, String reason) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode e = out.putArray("errors").addObject();
        e.put("reason", reason);
        if (field != null) {
            e.put("field", field);
        }
        return out;
    }

    static Reply notFound() {
        return new Reply(404, error(null, "Not found"));
    }
}
