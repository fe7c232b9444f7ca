package dev.pharos.actuator.dns.geo;

import dev.pharos.config.Cidr;
import dev.pharos.config.GeoMapping;

/**
 * Which location of a geo record's mapping a client address falls in, and the prefix length that
 * decided it (RFC 7871's scope): the longest configured network that holds the address, else the
 * location database's country (if the mapping lists it), else its continent (if listed), else
 * unknown. The one place this is decided: the embedded server answers with it and the API explains
 * with it.
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
     */
    public record Match(Kind kind, int net, String code, int scope, Location location) {}

    private final GeoMapping mapping;
    private final Cidr[] nets;

    public GeoMatcher(GeoMapping mapping) {
        this.mapping = mapping;
        this.nets = mapping.nets().stream().map(GeoMapping.Net::net).toArray(Cidr[]::new);
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
        if (best >= 0) {
            kind = Kind.NET;
            decided = nets[best].prefix();
        } else {
            loc = locator.locate(address);
            decided = loc.prefix();
            if (loc.country() != null && mapping.countries().containsKey(loc.country())) {
                kind = Kind.COUNTRY;
                code = loc.country();
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
        return new Match(kind, best, code, Math.min(decided, source), loc);
    }

    /** The label of a match's location, as the status and the API name it. */
    public String label(Match m) {
        return switch (m.kind()) {
            case NET -> "net " + nets[m.net()];
            case COUNTRY -> "country " + m.code();
            case CONTINENT -> "continent " + m.code();
            case UNKNOWN -> "unknown";
        };
    }
}
