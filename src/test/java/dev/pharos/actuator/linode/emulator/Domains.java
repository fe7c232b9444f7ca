package dev.pharos.actuator.linode.emulator;

import static dev.pharos.actuator.linode.emulator.Reply.JSON;
import static dev.pharos.actuator.linode.emulator.Reply.error;
import static dev.pharos.actuator.linode.emulator.Reply.notFound;
import static dev.pharos.actuator.linode.emulator.Reply.page;
import static dev.pharos.actuator.linode.emulator.Reply.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pharos.actuator.linode.emulator.LinodeEmulator.DuplicateRow;
import dev.pharos.actuator.linode.emulator.LinodeEmulator.Row;
import dev.pharos.config.IpLiterals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The emulator's Domains and their record rows, the routes under {@code /v4/domains}, and what
 * faults do to rows (a page shift, a row that vanishes before a write). Duplicate rows created
 * through the API are recorded with when they appeared and went away. Not thread-safe: the emulator
 * holds its lock around every call.
 */
final class Domains {
    private static final String STAMP = LinodeEmulator.STAMP;
    // Linode keeps these TTLs and rounds any other value to the nearest of them
    private static final int[] TTLS = {
        30, 120, 300, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 345600, 604800, 1209600,
        2419200
    };

    private final LongSupplier ids;
    private final Supplier<Instant> now;
    private final Map<Long, ObjectNode> domains = new TreeMap<>();
    private final Map<Long, TreeMap<Long, ObjectNode>> records = new HashMap<>();
    private final List<DuplicateRow> duplicates = new ArrayList<>();
    private final List<Row> shiftedOut = new ArrayList<>();

    Domains(LongSupplier ids, Supplier<Instant> now) {
        this.ids = ids;
        this.now = now;
    }

    long addDomain(String name) {
        long id = ids.getAsLong();
        ObjectNode d = JSON.createObjectNode();
        d.put("id", id);
        d.put("domain", name);
        d.put("type", "master");
        d.put("status", "active");
        d.put("soa_email", "hostmaster@" + name);
        d.put("ttl_sec", 0);
        d.put("refresh_sec", 0);
        d.put("retry_sec", 0);
        d.put("expire_sec", 0);
        d.putArray("axfr_ips");
        d.putArray("master_ips");
        d.putArray("tags");
        domains.put(id, d);
        records.put(id, new TreeMap<>());
        return id;
    }

    long addRecord(long domainId, String type, String name, String target, int ttl) {
        ObjectNode r = record(ids.getAsLong(), type, name, target, ttl);
        records.get(domainId).put(r.get("id").asLong(), r);
        return r.get("id").asLong();
    }

    void setRecordTtl(long domainId, long recordId, int ttl) {
        records.get(domainId).get(recordId).put("ttl_sec", ttl);
    }

    List<Row> rows(long domainId) {
        List<Row> out = new ArrayList<>();
        records.get(domainId).values().forEach(r -> out.add(row(r)));
        return out;
    }

    void deleteRecord(long domainId, long recordId) {
        forget(records.get(domainId).remove(recordId));
    }

    List<DuplicateRow> duplicates() {
        return List.copyOf(duplicates);
    }

    List<Row> shiftedOut() {
        return List.copyOf(shiftedOut);
    }

    private static Row row(ObjectNode r) {
        return new Row(
                r.get("id").asLong(),
                r.get("type").asText(),
                r.get("name").asText(),
                r.get("target").asText(),
                r.get("ttl_sec").asInt());
    }

    /** ROW_VANISHES: the record a write addresses ({@code /v4/domains/D/records/R}) is deleted. */
    void vanish(String[] s) {
        if (s.length == 6 && "domains".equals(s[2]) && "records".equals(s[4])) {
            TreeMap<Long, ObjectNode> rows = records.get(Long.parseLong(s[3]));
            if (rows != null) {
                forget(rows.remove(Long.parseLong(s[5])));
            }
        }
    }

    /** PAGE_SHIFT: after a read of a Domain's records, its {@code n} lowest-id rows are deleted. */
    void shift(String[] s, int n) {
        if (s.length < 5 || !"domains".equals(s[2])) {
            return;
        }
        TreeMap<Long, ObjectNode> rows = records.get(Long.parseLong(s[3]));
        for (int i = 0; i < n && rows != null && !rows.isEmpty(); i++) {
            ObjectNode r = rows.pollFirstEntry().getValue();
            shiftedOut.add(row(r));
            forget(r);
        }
    }

    /** A deleted row ends the duplicates it was part of. */
    private void forget(ObjectNode removed) {
        if (removed == null) {
            return;
        }
        long id = removed.get("id").asLong();
        for (int i = 0; i < duplicates.size(); i++) {
            DuplicateRow d = duplicates.get(i);
            if (d.removed().isEmpty() && (d.first() == id || d.second() == id)) {
                duplicates.set(
                        i,
                        new DuplicateRow(
                                d.type(),
                                d.name(),
                                d.target(),
                                d.first(),
                                d.second(),
                                d.appeared(),
                                Optional.of(now.get())));
            }
        }
    }

    /** A request under {@code /v4/domains}, split at "/". */
    Reply route(
            String method,
            String[] s,
            Map<String, List<String>> query,
            String body,
            XFilter filter) {
        if (s.length == 3 && "GET".equals(method)) {
            return page(query, filter, new ArrayList<>(domains.values()));
        }
        if (s.length < 5 || !"records".equals(s[4])) {
            return notFound();
        }
        long domainId = Long.parseLong(s[3]);
        ObjectNode domain = domains.get(domainId);
        if (domain == null) {
            return notFound();
        }
        TreeMap<Long, ObjectNode> rows = records.get(domainId);
        if (s.length == 5) {
            return switch (method) {
                case "GET" -> page(query, filter, new ArrayList<>(rows.values()));
                case "POST" -> createRecord(domain, rows, parse(body));
                default -> notFound();
            };
        }
        if (s.length != 6) {
            return notFound();
        }
        ObjectNode row = rows.get(Long.parseLong(s[5]));
        if (row == null) {
            return notFound();
        }
        switch (method) {
            case "GET":
                return new Reply(200, row);
            case "DELETE":
                forget(rows.remove(row.get("id").asLong()));
                return new Reply(200, JSON.createObjectNode());
            case "PUT":
                JsonNode b = parse(body);
                if (b.has("ttl_sec")) {
                    row.put("ttl_sec", round(b.get("ttl_sec").asInt()));
                }
                if (b.has("target")) {
                    row.put("target", b.get("target").asText());
                }
                if (b.has("name")) {
                    row.put("name", relative(domain, b.get("name").asText()));
                }
                row.put("updated", STAMP);
                return new Reply(200, row);
            default:
                return notFound();
        }
    }

    /** A row created through the API; one equal to an existing row is recorded as a duplicate. */
    private Reply createRecord(ObjectNode domain, TreeMap<Long, ObjectNode> rows, JsonNode b) {
        String type = b.path("type").asText("");
        String target = b.path("target").asText("");
        if (type.isEmpty()) {
            return new Reply(400, error("type", "type is required"));
        }
        if ("A".equals(type) && IpLiterals.parseV4(target).isEmpty()) {
            return new Reply(400, error("target", "Must be a valid IPv4 address"));
        }
        if ("AAAA".equals(type) && IpLiterals.parseV6(target).isEmpty()) {
            return new Reply(400, error("target", "Must be a valid IPv6 address"));
        }
        String name = relative(domain, b.path("name").asText(""));
        ObjectNode r =
                record(ids.getAsLong(), type, name, target, round(b.path("ttl_sec").asInt(0)));
        for (ObjectNode other : rows.values()) {
            if (other.get("type").asText().equals(type)
                    && other.get("name").asText().equals(name)
                    && other.get("target").asText().equals(target)) {
                duplicates.add(
                        new DuplicateRow(
                                type,
                                name,
                                target,
                                other.get("id").asLong(),
                                r.get("id").asLong(),
                                now.get(),
                                Optional.empty()));
            }
        }
        rows.put(r.get("id").asLong(), r);
        return new Reply(200, r);
    }

    private static ObjectNode record(long id, String type, String name, String target, int ttl) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", id);
        r.put("type", type);
        r.put("name", name);
        r.put("target", target);
        r.put("ttl_sec", ttl);
        r.put("priority", 0);
        r.put("weight", 0);
        r.put("port", 0);
        r.putNull("service");
        r.putNull("protocol");
        r.putNull("tag");
        r.put("created", STAMP);
        r.put("updated", STAMP);
        return r;
    }

    /**
     * A record name as Linode stores it: relative to the Domain. Linode shows the apex as "", which
     * its API description forbids (minLength 1), so the emulator keeps the apex as the Domain's own
     * name and the client accepts both.
     */
    private static String relative(ObjectNode domain, String name) {
        String d = domain.get("domain").asText().toLowerCase(Locale.ROOT);
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || lower.equals(d)) {
            return d;
        }
        return lower.endsWith("." + d) ? n.substring(0, n.length() - d.length() - 1) : n;
    }

    static int round(int ttl) {
        if (ttl == 0) {
            return 0;
        }
        int best = TTLS[0];
        for (int t : TTLS) {
            if (Math.abs(t - ttl) < Math.abs(best - ttl)) {
                best = t;
            }
        }
        return best;
    }
}
