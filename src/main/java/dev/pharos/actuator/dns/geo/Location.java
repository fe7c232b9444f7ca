package dev.pharos.actuator.dns.geo;

/**
 * Where a client address is, as a location database says.
 *
 * @param continent continent code (EU, AS...), or null when unknown
 * @param country ISO 3166-1 country code, or null when unknown
 * @param prefix the prefix length of the database network the address was found in (for an address
 *     of 4 bytes in IPv4 terms): every address in it is at the same location; 0 without a database
 * @param latitude the network's latitude in degrees (a City database's {@code location}), NaN when
 *     the database has none
 * @param longitude its longitude, NaN when none
 */
public record Location(
        String continent, String country, int prefix, double latitude, double longitude) {
    /** No database, or nothing known. */
    public static final Location UNKNOWN = new Location(null, null, 0);

    /** A location without coordinates (a country database). */
    public Location(String continent, String country, int prefix) {
        this(continent, country, prefix, Double.NaN, Double.NaN);
    }

    /** Whether the database gives the location's coordinates. */
    public boolean hasCoordinates() {
        return !Double.isNaN(latitude) && !Double.isNaN(longitude);
    }

    public boolean known() {
        return continent != null || country != null;
    }
}
