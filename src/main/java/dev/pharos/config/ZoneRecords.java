package dev.pharos.config;

import static dev.pharos.config.ZoneSettings.display;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The fixed records of the embedded zone as they are collected from the configuration (NS, glue,
 * static records), with the rules a zone must keep checked as each one comes in: inside the zone,
 * not a managed name, no SOA/NS/DNAME/wildcards from static lines, no duplicates, one TTL per
 * RRset, a CNAME alone at its name. Each refusal goes to the problem sink with the entry's key.
 */
final class ZoneRecords {
    private static final String KEY = "pharos.dns.embedded.";

    private final Name origin;
    private final long defaultTtl;
    private final Set<String> managed;
    private final BiConsumer<String, String> problems;
    private final List<Record> records = new ArrayList<>();
    // name -> types present, for the CNAME rule and the glue check
    private final Map<Name, Map<Integer, String>> seen = new HashMap<>();

    /**
     * @param defaultTtl the TTL of a static line that names none
     * @param managed the managed names (lower case, no trailing dot)
     */
    ZoneRecords(
            Name origin,
            long defaultTtl,
            Set<String> managed,
            BiConsumer<String, String> problems) {
        this.origin = origin;
        this.defaultTtl = defaultTtl;
        this.managed = managed;
        this.problems = problems;
    }

    List<Record> records() {
        return records;
    }

    /** Whether {@code name} has an A or AAAA record. */
    boolean hasAddress(Name name) {
        Map<Integer, String> types = seen.getOrDefault(name, Map.of());
        return types.containsKey(Type.A) || types.containsKey(Type.AAAA);
    }

    /** Parses one static-record entry and adds it, or reports why not. */
    void addStatic(String key, String line) {
        if (line.trim().startsWith("$")) {
            problems.accept(key, "zone-file directives ($ORIGIN, $TTL, $INCLUDE) are not allowed");
            return;
        }
        Record r;
        try (Master m =
                new Master(
                        new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)),
                        origin,
                        defaultTtl)) {
            m.disableIncludes();
            r = m.nextRecord();
            if (r == null) {
                problems.accept(key, "holds no record");
                return;
            }
            if (m.nextRecord() != null) {
                problems.accept(key, "holds more than one record (one per entry)");
                return;
            }
        } catch (IOException | RuntimeException ex) {
            // dnsjava prefixes "<none>:LINE: ", which means nothing to the operator
            String why = String.valueOf(ex.getMessage()).replaceFirst("^<[^>]*>:\\d+: ", "");
            problems.accept(key, "'" + line + "' does not parse: " + why);
            return;
        }
        String why = refusal(r);
        if (why != null) {
            problems.accept(key, why);
            return;
        }
        add(key, r);
    }

    /** Why a parsed static record cannot be served, or null. */
    private String refusal(Record r) {
        Name n = r.getName();
        String name = display(n);
        if (!n.subdomain(origin)) {
            return name + " is outside the zone " + display(origin);
        }
        if (r.getDClass() != DClass.IN) {
            return "only class IN is served";
        }
        if (managed.contains(name)) {
            return name + " is a managed name";
        }
        if (n.isWild()) {
            return name + ": wildcard names are not supported";
        }
        int type = r.getType();
        if (type == Type.SOA) {
            return "the SOA is made from the embedded settings, not a static record";
        }
        if (type == Type.NS) {
            return n.equals(origin)
                    ? "apex NS records come from " + KEY + "nameservers"
                    : name + ": delegations (NS below the apex) are not supported";
        }
        if (type == Type.DNAME) {
            return "DNAME records are not supported";
        }
        if (type == Type.CNAME && n.equals(origin)) {
            return "the zone apex cannot be a CNAME";
        }
        return null;
    }

    /** Adds a record, checking the RRset rules: no duplicates, one TTL, CNAME stands alone. */
    void add(String key, Record r) {
        Map<Integer, String> types = seen.computeIfAbsent(r.getName(), x -> new HashMap<>());
        int type = r.getType();
        String name = display(r.getName());
        boolean cnameConflict =
                type == Type.CNAME ? !types.isEmpty() : types.containsKey(Type.CNAME);
        if (cnameConflict) {
            problems.accept(key, name + " cannot have a CNAME and other records");
            return;
        }
        for (Record other : records) {
            if (other.sameRRset(r)) {
                if (other.equals(r)) {
                    problems.accept(
                            key,
                            "repeats a record of "
                                    + name
                                    + "/"
                                    + Type.string(type)
                                    + " given before");
                    return;
                }
                if (other.getTTL() != r.getTTL()) {
                    problems.accept(
                            key,
                            "TTL "
                                    + r.getTTL()
                                    + " differs from the TTL "
                                    + other.getTTL()
                                    + " of the other "
                                    + name
                                    + "/"
                                    + Type.string(type)
                                    + " records");
                    return;
                }
            }
        }
        types.putIfAbsent(type, key);
        records.add(r);
    }
}
