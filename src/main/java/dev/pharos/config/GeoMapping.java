package dev.pharos.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a geo record sends each client: continent and country codes and networks, each to an
 * ordered list of regions (the walk's head; the first region's fallback order is its tail).
 *
 * @param count how many regions each answer holds (at least 1)
 * @param continents continent code (AF, AN, AS, EU, NA, OC, SA) to regions
 * @param countries ISO 3166-1 alpha-2 country code (upper case) to regions
 * @param nets networks to regions; they decide before any database, and work without one
 * @param mode {@code MAP}, or {@code DISTANCE}: a client whose coordinates the database gives walks
 *     the record's regions nearest first (after the nets and countries)
 * @param sites distance mode: the record's regions with their coordinates, in the record's order;
 *     empty in map mode
 */
public record GeoMapping(
        int count,
        Map<String, List<String>> continents,
        Map<String, List<String>> countries,
        List<Net> nets,
        Mode mode,
        List<Site> sites) {

    /** How a client the nets and countries do not decide is placed. */
    public enum Mode {
        /** By its continent's list. */
        MAP,
        /** By great-circle distance to the regions, when the database has its coordinates. */
        DISTANCE
    }

    /** A region and where it is, in degrees. */
    public record Site(String region, double latitude, double longitude) {}

    /** The continent codes a location database uses. */
    public static final Set<String> CONTINENTS = Set.of("AF", "AN", "AS", "EU", "NA", "OC", "SA");

    /**
     * The built-in map for the three-region setup, used when a geo record names no continents or
     * countries and spans regions named europe, apac and americas.
     */
    public static final Map<String, List<String>> THREE_REGIONS = threeRegions();

    public GeoMapping {
        continents = Map.copyOf(continents);
        countries = Map.copyOf(countries);
        nets = List.copyOf(nets);
        sites = List.copyOf(sites);
    }

    /** A mapping in map mode. */
    public GeoMapping(
            int count,
            Map<String, List<String>> continents,
            Map<String, List<String>> countries,
            List<Net> nets) {
        this(count, continents, countries, nets, Mode.MAP, List.of());
    }

    /** A network and its regions. */
    public record Net(Cidr net, List<String> regions) {
        public Net {
            regions = List.copyOf(regions);
        }
    }

    private static Map<String, List<String>> threeRegions() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("EU", List.of("europe"));
        m.put("AF", List.of("europe"));
        m.put("AS", List.of("apac"));
        m.put("OC", List.of("apac"));
        m.put("NA", List.of("americas"));
        m.put("SA", List.of("americas"));
        return m;
    }
}
