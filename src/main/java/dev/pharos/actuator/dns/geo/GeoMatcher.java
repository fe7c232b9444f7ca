package dev.pharos.actuator.dns.geo;

import dev.pharos.config.Cidr;
import dev.pharos.config.GeoMapping;
import java.util.List;

/**
 * Which location of a geo record's mapping a client address falls in, and the prefix length that
 * decided it (RFC 7871's scope): the longest configured network that holds the address, else the
 * location database's country (if the mapping lists it), else, in distance mode when the database
 * gives the client's coordinates, the record's regions nearest first ({@link Nearest}), else its
 * continent (if listed), else unknown. The one place this is decided: the embedded server answers
 * with it and the API explains with it.
 *
 * <p>The scope is the matched configured network's prefix, or the database network the address was
 * found in; a configured network that does not hold the address but lies inside that prefix would
 * answer part of it differently, so the scope is lengthened to exclude it; and it never exceeds the
 * prefix the client sent.
 */
public final class GeoMatcher {
    /** What decided a client's location. */
    public enum Kind {
        NET,
        COUNTRY,
        DISTANCE,
        CONTINENT,
        UNKNOWN
    }

    /**
     * A client's location in the mapping.
     *
     * @param net the index of the matched network in the mapping's {@code nets} (NET only)
     * @param code the country or continent code that decided (COUNTRY, CONTINENT), else null
     * @param scope the prefix length that decided, never longer than the source
     * @param location what the database says (UNKNOWN when a network decided or without one)
     * @param nearest DISTANCE: the indices of the mapping's {@code sites}, nearest to the client
     *     first; else null
     */
    public record Match(
            Kind kind, int net, String code, int scope, Location location, int[] nearest) {
        public Match(Kind kind, int net, String code, int scope, Location location) {
            this(kind, net, code, scope, location, null);
        }
    }

    private final GeoMapping mapping;
    private final Cidr[] nets;
    private final double[] lats;
    private final double[] lons;

    public GeoMatcher(GeoMapping mapping) {
        this.mapping = mapping;
        this.nets = mapping.nets().stream().map(GeoMapping.Net::net).toArray(Cidr[]::new);
        boolean distance = mapping.mode() == GeoMapping.Mode.DISTANCE;
        this.lats =
                distance
                        ? mapping.sites().stream().mapToDouble(GeoMapping.Site::latitude).toArray()
                        : new double[0];
        this.lons =
                distance
                        ? mapping.sites().stream().mapToDouble(GeoMapping.Site::longitude).toArray()
                        : new double[0];
    }

    public GeoMapping mapping() {
        return mapping;
    }

    /**
     * @param address 4 or 16 bytes (an IPv4-mapped address already reduced to its 4)
     * @param source the prefix length the address was given with (32 or 128 for a source address)
     */
    public Match match(byte[] address, int source, GeoLocator locator) {
        int best = -1;
        for (int i = 0; i < nets.length; i++) {
            if (nets[i].contains(address) && (best < 0 || nets[i].prefix() > nets[best].prefix())) {
                best = i;
            }
        }
        Kind kind;
        String code = null;
        int decided;
        Location loc = Location.UNKNOWN;
        int[] nearest = null;
        if (best >= 0) {
            kind = Kind.NET;
            decided = nets[best].prefix();
        } else {
            loc = locator.locate(address, lats.length > 0);
            decided = loc.prefix();
            if (loc.country() != null && mapping.countries().containsKey(loc.country())) {
                kind = Kind.COUNTRY;
                code = loc.country();
            } else if (lats.length > 0 && loc.hasCoordinates()) {
                kind = Kind.DISTANCE;
                nearest = Nearest.order(lats, lons, loc.latitude(), loc.longitude());
            } else if (loc.continent() != null
                    && mapping.continents().containsKey(loc.continent())) {
                kind = Kind.CONTINENT;
                code = loc.continent();
            } else {
                kind = Kind.UNKNOWN;
            }
        }
        for (Cidr net : nets) {
            if (net.length() == address.length && !net.contains(address)) {
                decided = Math.max(decided, net.commonPrefix(address) + 1);
            }
        }
        return new Match(kind, best, code, Math.min(decided, source), loc, nearest);
    }

    /** The head of a match's walk: its list, the regions nearest first (DISTANCE), or none. */
    public List<String> head(Match m) {
        return switch (m.kind()) {
            case NET -> mapping.nets().get(m.net()).regions();
            case COUNTRY -> mapping.countries().get(m.code());
            case DISTANCE -> order(m.nearest());
            case CONTINENT -> mapping.continents().get(m.code());
            case UNKNOWN -> List.of();
        };
    }

    /** The region names of an order of the mapping's sites. */
    public List<String> order(int[] nearest) {
        String[] out = new String[nearest.length];
        for (int i = 0; i < nearest.length; i++) {
            out[i] = mapping.sites().get(nearest[i]).region();
        }
        return List.of(out);
    }

    /** The distance in km from a location with coordinates to the site {@code index}. */
    public double km(Location l, int index) {
        return Nearest.km(l.latitude(), l.longitude(), lats[index], lons[index]);
    }

    /** The label of a match's location, as the status and the API name it. */
    public String label(Match m) {
        return switch (m.kind()) {
            case NET -> "net " + nets[m.net()];
            case COUNTRY -> "country " + m.code();
            case DISTANCE ->
                    "nearest by distance: "
                            + mapping.sites().get(m.nearest()[0]).region()
                            + " ("
                            + Math.round(km(m.location(), m.nearest()[0]))
                            + " km)";
            case CONTINENT -> "continent " + m.code();
            case UNKNOWN -> "unknown";
        };
    }
}
