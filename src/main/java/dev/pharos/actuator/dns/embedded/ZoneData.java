package dev.pharos.actuator.dns.embedded;

import dev.pharos.config.IpLiterals;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.ZoneSettings;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One immutable snapshot of everything the embedded server answers from: the fixed settings, the
 * managed RRsets and the SOA serial. Publishing a change builds a new snapshot and swaps a
 * reference, so queries never lock and never see half a change.
 */
public final class ZoneData {
    // Timers only matter to secondaries, which this server does not feed (no zone transfers);
    // these are RIPE-203's recommendations so the SOA looks ordinary to tools that check it.
    static final long REFRESH = 86400;
    static final long RETRY = 7200;
    static final long EXPIRE = 3600000;

    private final ZoneSettings settings;
    private final Map<RecordKey, RecordSet> managed;
    private final long serial;
    private final SOARecord soa;
    private final SOARecord negativeSoa;
    private final Map<Name, Map<Integer, List<Record>>> nodes;
    private final Set<Name> emptyNonTerminals;
    private final GeoSetup geoSetup;
    private final Map<Name, GeoName> geo;
    private final Set<String> leftOutOfGeo;

    private ZoneData(
            ZoneSettings settings,
            Map<RecordKey, RecordSet> managed,
            long serial,
            GeoSetup geoSetup,
            Set<String> leftOutOfGeo) {
        this.settings = settings;
        this.leftOutOfGeo = Set.copyOf(leftOutOfGeo);
        this.geoSetup = geoSetup;
        this.managed = Collections.unmodifiableMap(new TreeMap<>(managed));
        this.serial = serial & 0xFFFFFFFFL;
        Name origin = settings.origin();
        this.soa = soa(settings, this.serial, settings.apexTtl());
        // RFC 2308 section 3: the negative answer's SOA carries min(SOA TTL, SOA minimum)
        this.negativeSoa =
                soa(settings, this.serial, Math.min(settings.apexTtl(), settings.negativeTtl()));
        Map<Name, Map<Integer, List<Record>>> n = new HashMap<>();
        add(n, soa);
        settings.records().forEach(r -> add(n, r));
        for (var e : this.managed.entrySet()) {
            Name name = managedName(e.getKey(), origin);
            for (String value : e.getValue().values()) {
                add(n, address(name, e.getValue(), value));
            }
        }
        for (Name name : settings.managedNames()) {
            // a managed name exists even while it has no addresses: NODATA, never NXDOMAIN
            n.computeIfAbsent(name, x -> new TreeMap<>());
        }
        for (Map<Integer, List<Record>> node : n.values()) {
            node.replaceAll((type, rrset) -> List.copyOf(rrset));
        }
        n.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        this.nodes = Collections.unmodifiableMap(n);
        Set<Name> ents = new HashSet<>();
        for (Name name : nodes.keySet()) {
            for (int drop = 1; drop < name.labels() - origin.labels(); drop++) {
                Name parent = new Name(name, drop);
                if (!nodes.containsKey(parent)) {
                    ents.add(parent);
                }
            }
        }
        this.emptyNonTerminals = Collections.unmodifiableSet(ents);
        Map<Name, GeoName> g = new HashMap<>();
        for (ManagedRecord r : geoSetup.records()) {
            Name name = managedName(new RecordKey(r.name(), "A"), origin);
            g.put(
                    name,
                    GeoName.build(geoSetup.topology(), r, name, this.managed, this.leftOutOfGeo));
        }
        this.geo = Collections.unmodifiableMap(g);
    }

    /** A snapshot of the fixed settings with these managed RRsets and this serial. */
    public static ZoneData build(
            ZoneSettings settings, Map<RecordKey, RecordSet> managed, long serial) {
        return new ZoneData(settings, managed, serial, GeoSetup.NONE, Set.of());
    }

    /** The same, answering the geo records of {@code geo} per client location. */
    public static ZoneData build(
            ZoneSettings settings, Map<RecordKey, RecordSet> managed, long serial, GeoSetup geo) {
        return new ZoneData(settings, managed, serial, geo, Set.of());
    }

    /** The same settings with other managed RRsets and another serial. */
    public ZoneData with(Map<RecordKey, RecordSet> newManaged, long newSerial) {
        return new ZoneData(settings, newManaged, newSerial, geoSetup, leftOutOfGeo);
    }

    /**
     * The same RRsets under another serial, passing over {@code regions} in geo answers (they stay
     * in the RRsets; stale content with {@code content.on-stale: leave-geo}).
     */
    public ZoneData leavingGeo(Set<String> regions, long newSerial) {
        return new ZoneData(settings, managed, newSerial, geoSetup, regions);
    }

    /** The regions passed over in geo answers. */
    public Set<String> leftOutOfGeo() {
        return leftOutOfGeo;
    }

    /** The geo name {@code name}, or null when it is not one. */
    GeoName geo(Name name) {
        return geo.isEmpty() ? null : geo.get(name);
    }

    /** Whether any name is answered per client location. */
    public boolean hasGeo() {
        return !geo.isEmpty();
    }

    /** The location database served now. */
    dev.pharos.actuator.dns.geo.GeoLocator locator() {
        return geoSetup.locator().get();
    }

    public ZoneSettings settings() {
        return settings;
    }

    public Name origin() {
        return settings.origin();
    }

    public long serial() {
        return serial;
    }

    public SOARecord soa() {
        return soa;
    }

    /** The SOA for the authority section of NXDOMAIN and NODATA answers. */
    public SOARecord negativeSoa() {
        return negativeSoa;
    }

    /** The managed RRsets served, by key. */
    public Map<RecordKey, RecordSet> managed() {
        return managed;
    }

    /** The RRsets at {@code name} by type (in type order), or null if no records live there. */
    public Map<Integer, List<Record>> node(Name name) {
        return nodes.get(name);
    }

    /** A name with no records of its own but with names below it (RFC 8020: NODATA, not NX). */
    public boolean isEmptyNonTerminal(Name name) {
        return emptyNonTerminals.contains(name);
    }

    /** The A and AAAA records at {@code name}, for glue. */
    public List<Record> addresses(Name name) {
        Map<Integer, List<Record>> node = nodes.get(name);
        if (node == null) {
            return List.of();
        }
        List<Record> out = new ArrayList<>(node.getOrDefault(Type.A, List.of()));
        out.addAll(node.getOrDefault(Type.AAAA, List.of()));
        return out;
    }

    private static SOARecord soa(ZoneSettings s, long serial, long ttl) {
        return new SOARecord(
                s.origin(),
                DClass.IN,
                ttl,
                s.mname(),
                s.rname(),
                serial,
                REFRESH,
                RETRY,
                EXPIRE,
                s.negativeTtl());
    }

    private static void add(Map<Name, Map<Integer, List<Record>>> nodes, Record r) {
        nodes.computeIfAbsent(r.getName(), x -> new TreeMap<>())
                .computeIfAbsent(r.getType(), x -> new ArrayList<>())
                .add(r);
    }

    private static Name managedName(RecordKey key, Name origin) {
        try {
            Name name = Name.fromString(key.name() + ".");
            if (!name.subdomain(origin)) {
                throw new IllegalArgumentException(key + " is outside the zone " + origin);
            }
            return name;
        } catch (TextParseException e) {
            throw new IllegalArgumentException(key + " is not a DNS name", e);
        }
    }

    private static Record address(Name name, RecordSet set, String value) {
        boolean v4 = "A".equals(set.key().type());
        Optional<InetAddress> a = v4 ? IpLiterals.parseV4(value) : IpLiterals.parseV6(value);
        if (a.isEmpty()) {
            throw new IllegalArgumentException(set.key() + ": '" + value + "' is not an address");
        }
        return v4
                ? new ARecord(name, DClass.IN, set.ttl(), a.get())
                : new AAAARecord(name, DClass.IN, set.ttl(), a.get());
    }
}
