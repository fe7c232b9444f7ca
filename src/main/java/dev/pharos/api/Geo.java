package dev.pharos.api;

import dev.pharos.actuator.dns.embedded.EmbeddedDnsProvider;
import dev.pharos.actuator.dns.embedded.ZoneData;
import dev.pharos.actuator.dns.geo.GeoDatabase;
import dev.pharos.actuator.dns.geo.GeoLocator;
import dev.pharos.actuator.dns.geo.GeoMatcher;
import dev.pharos.actuator.dns.geo.Location;
import dev.pharos.actuator.dns.geo.Nearest;
import dev.pharos.api.view.GeoView;
import dev.pharos.api.view.GeoView.ClientRecord;
import dev.pharos.api.view.GeoView.DatabaseView;
import dev.pharos.api.view.GeoView.FamilyAnswer;
import dev.pharos.api.view.GeoView.LocationAnswer;
import dev.pharos.api.view.GeoView.RecordGeo;
import dev.pharos.api.view.GeoView.Skip;
import dev.pharos.config.Cidr;
import dev.pharos.config.Family;
import dev.pharos.config.GeoMapping;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.RecordKind;
import dev.pharos.config.Topology;
import dev.pharos.decision.FamilyStatus;
import dev.pharos.decision.GeoAnswers;
import dev.pharos.decision.RegionStatus;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import dev.pharos.observation.PeerObservations;
import dev.pharos.reconcile.PipelineState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.Address;

/**
 * Geo records as the operator sees them: every location's current answer and why (in the status and
 * {@code GET /api/v1/geo}), and what one client would get ({@code GET /api/v1/geo?client=}).
 * Answers are worked out by the same code the embedded server answers with ({@link GeoMatcher},
 * {@link GeoAnswers}), from the RRsets it serves now (the desired ones when it does not run).
 */
@Singleton
public class Geo {
    @Inject Topology topology;
    @Inject EmbeddedDnsProvider embedded;
    @Inject PeerObservations peers;
    @Inject Clock clock;

    /** The geo records configured. */
    public List<ManagedRecord> records() {
        return topology.records().stream().filter(r -> r.kind() == RecordKind.GEO).toList();
    }

    /** The database served here and the reachable peers that serve another; null without one. */
    public DatabaseView database() {
        return embedded.geoDatabase()
                .flatMap(GeoDatabase::info)
                .map(
                        i ->
                                new DatabaseView(
                                        i.file(),
                                        i.built(),
                                        i.type(),
                                        i.sha256(),
                                        peers.geoDatabasesDiffering(i.sha256(), clock.instant())))
                .orElse(null);
    }

    private GeoLocator locator() {
        return embedded.geoDatabase().map(GeoDatabase::get).orElse(GeoLocator.NONE);
    }

    private Map<RecordKey, RecordSet> served(PipelineState s) {
        ZoneData zone = embedded.zone();
        return zone != null ? zone.managed() : s.desired().records();
    }

    /** Every geo record's answer per location (empty without geo records). */
    public List<RecordGeo> table(PipelineState s) {
        Map<RecordKey, RecordSet> served = served(s);
        List<RecordGeo> out = new ArrayList<>();
        for (ManagedRecord r : records()) {
            GeoMapping g = r.geo().orElseThrow();
            List<LocationAnswer> locations = new ArrayList<>();
            for (GeoMapping.Net n : g.nets()) {
                locations.add(location(r, "net " + n.net(), n.regions(), served, s));
            }
            new TreeMap<>(g.countries())
                    .forEach((c, l) -> locations.add(location(r, "country " + c, l, served, s)));
            for (String c : new java.util.TreeSet<>(GeoMapping.CONTINENTS)) {
                List<String> l = g.continents().get(c);
                locations.add(
                        location(
                                r,
                                l == null
                                        ? "continent " + c + " (no list: unknown)"
                                        : "continent " + c,
                                l == null ? List.of() : l,
                                served,
                                s));
            }
            if (g.mode() == GeoMapping.Mode.DISTANCE) {
                // a client at each region's own coordinates: that region, then the next nearest
                GeoMatcher matcher = new GeoMatcher(g);
                double[] lats = g.sites().stream().mapToDouble(GeoMapping.Site::latitude).toArray();
                double[] lons =
                        g.sites().stream().mapToDouble(GeoMapping.Site::longitude).toArray();
                for (GeoMapping.Site site : g.sites()) {
                    List<String> order =
                            matcher.order(
                                    Nearest.order(lats, lons, site.latitude(), site.longitude()));
                    locations.add(
                            location(
                                    r,
                                    "distance: a client at "
                                            + site.region()
                                            + " ("
                                            + site.latitude()
                                            + ", "
                                            + site.longitude()
                                            + "), nearest first",
                                    order,
                                    served,
                                    s));
                }
            }
            locations.add(location(r, "unknown", List.of(), served, s));
            out.add(new RecordGeo(r.name(), locations));
        }
        return out;
    }

    public GeoView view(PipelineState s) {
        return new GeoView(database(), table(s));
    }

    private LocationAnswer location(
            ManagedRecord r,
            String label,
            List<String> list,
            Map<RecordKey, RecordSet> served,
            PipelineState s) {
        return new LocationAnswer(label, list, answers(r, list, served, s));
    }

    private Map<String, FamilyAnswer> answers(
            ManagedRecord r, List<String> head, Map<RecordKey, RecordSet> served, PipelineState s) {
        Map<String, FamilyAnswer> out = new LinkedHashMap<>();
        for (Family f : Family.values()) {
            RecordSet set = served.get(new RecordKey(r.name(), f.recordType()));
            if (set == null) {
                continue;
            }
            GeoAnswers.Answer a =
                    GeoAnswers.choose(
                            topology, r, f, head, set.values(), s.desired().leftOutOfGeo());
            List<Skip> skipped =
                    a.skipped().stream()
                            .map(region -> new Skip(region, why(region, f, s)))
                            .toList();
            out.put(
                    f.recordType(),
                    new FamilyAnswer(
                            a.candidates(), skipped, a.regions(), a.addresses(), a.reason()));
        }
        return out;
    }

    private static String why(String region, Family f, PipelineState s) {
        if (s.desired().leftOutOfGeo().contains(region)) {
            return "stale content";
        }
        RegionStatus st = s.regions().get(region);
        FamilyStatus fs = st == null ? null : st.family(f).orElse(null);
        if (fs == null) {
            return "out of DNS for " + f.label();
        }
        String state = fs.state().label() + (fs.reason() == null ? "" : ": " + fs.reason());
        return fs.state().serving()
                ? "out of DNS for " + f.label() + " while " + state + " (held down or drained)"
                : "out of DNS for " + f.label() + " (" + state + ")";
    }

    /**
     * What a client at {@code text} (an address, or a network as a resolver's Client Subnet sends
     * it) gets from every geo record, and why.
     *
     * @throws ProblemException 400 when {@code text} is neither, 404 without geo records
     */
    public GeoView.ClientView client(String text, PipelineState s) {
        if (records().isEmpty()) {
            throw ProblemException.notFound(
                    "no geo records are configured (pharos.records[].type: geo)");
        }
        Subnet subnet = parse(text);
        GeoLocator locator = locator();
        Map<RecordKey, RecordSet> served = served(s);
        byte[] address = subnet.address;
        int source = subnet.source;
        int offset = 0;
        if (address.length == 16 && source >= 96 && Cidr.isV4Mapped(address)) {
            offset = 96; // located as IPv4, as the server does
            address = Arrays.copyOfRange(address, 12, 16);
            source -= 96;
        }
        GeoView.DatabaseLocation where = null;
        DatabaseView db = database();
        if (db != null && subnet.source > 0) {
            Location l = locator.locate(address, true);
            where =
                    new GeoView.DatabaseLocation(
                            l.continent(),
                            l.country(),
                            l.prefix() + offset,
                            l.hasCoordinates() ? l.latitude() : null,
                            l.hasCoordinates() ? l.longitude() : null);
        }
        List<ClientRecord> out = new ArrayList<>();
        for (ManagedRecord r : records()) {
            GeoMatcher matcher = new GeoMatcher(r.geo().orElseThrow());
            if (subnet.source == 0) {
                out.add(
                        new ClientRecord(
                                r.name(),
                                "unknown",
                                "source prefix 0: the client asks not to be located (RFC 7871)",
                                0,
                                List.of(),
                                answers(r, List.of(), served, s)));
                continue;
            }
            GeoMatcher.Match m = matcher.match(address, source, locator);
            List<String> head = matcher.head(m);
            int scope = m.scope() == 0 ? 0 : m.scope() + offset;
            out.add(
                    new ClientRecord(
                            r.name(),
                            matcher.label(m),
                            why(matcher, m, db != null),
                            scope,
                            head,
                            answers(r, head, served, s)));
        }
        return new GeoView.ClientView(subnet.text, subnet.source, db, where, out);
    }

    private static String why(GeoMatcher matcher, GeoMatcher.Match m, boolean database) {
        Location l = m.location();
        String found =
                "the location database places the client in "
                        + (l.country() == null ? "" : "country " + l.country() + ", ")
                        + "continent "
                        + l.continent()
                        + " (its network /"
                        + l.prefix()
                        + ")";
        return switch (m.kind()) {
            case NET ->
                    "a configured network holds the client (the longest that does): it decides"
                            + " before any database";
            case COUNTRY -> found + "; country " + m.code() + " has a list";
            case DISTANCE -> {
                StringBuilder b = new StringBuilder(found);
                b.append(l.country() == null ? "" : "; country " + l.country() + " has no list")
                        .append("; distance mode, the client's coordinates (")
                        .append(l.latitude())
                        .append(", ")
                        .append(l.longitude())
                        .append(")")
                        .append("; the regions nearest first: ");
                int[] order = m.nearest();
                for (int i = 0; i < order.length; i++) {
                    b.append(i == 0 ? "" : ", ")
                            .append(matcher.mapping().sites().get(order[i]).region())
                            .append(" (")
                            .append(Math.round(matcher.km(l, order[i])))
                            .append(" km)");
                }
                yield b.toString();
            }
            case CONTINENT ->
                    found
                            + "; "
                            + (l.country() == null
                                    ? ""
                                    : "country " + l.country() + " has no list, ")
                            + "continent "
                            + m.code()
                            + " has one";
            case UNKNOWN ->
                    !database
                            ? "no configured network holds the client and there is no location database"
                            : !l.known()
                                    ? "no configured network holds the client and the location database"
                                            + " does not know it"
                                    : found
                                            + "; "
                                            + (l.country() == null
                                                    ? ""
                                                    : "country " + l.country() + " and ")
                                            + "continent "
                                            + l.continent()
                                            + " have no list";
        };
    }

    private record Subnet(String text, byte[] address, int source) {}

    private static Subnet parse(String text) {
        String example = " (an address or a network: 198.51.100.7, 198.51.100.0/24, 2001:db8::/48)";
        if (text == null || text.isBlank()) {
            throw ProblemException.badRequest("client: an address is required" + example);
        }
        String t = text.trim();
        int slash = t.indexOf('/');
        String host = slash < 0 ? t : t.substring(0, slash);
        boolean v6 = host.contains(":");
        byte[] address =
                host.contains("%")
                        ? null
                        : Address.toByteArray(host, v6 ? Address.IPv6 : Address.IPv4);
        if (address == null) {
            throw ProblemException.badRequest(
                    "client: '" + text + "' is not an IP address or network" + example);
        }
        int bits = address.length * 8;
        int source = bits;
        if (slash >= 0) {
            try {
                source = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                source = -1;
            }
            if (source < 0 || source > bits) {
                throw ProblemException.badRequest(
                        "client: '" + text + "': the prefix length must be 0 to " + bits);
            }
            if (bitsBeyond(address, source)) {
                throw ProblemException.badRequest(
                        "client: '"
                                + text
                                + "' has bits set beyond its prefix length (as a Client Subnet"
                                + " option it would get FORMERR)");
            }
        }
        return new Subnet(t, address, source);
    }

    private static boolean bitsBeyond(byte[] a, int prefix) {
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            if ((a[i] & (0xFF >> keep)) != 0) {
                return true;
            }
        }
        return false;
    }
}
