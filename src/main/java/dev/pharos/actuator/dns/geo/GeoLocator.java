package dev.pharos.actuator.dns.geo;

/** Looks client addresses up in the operator's location database. */
public interface GeoLocator {
    /** Without a database: every location is unknown, networks from the config still decide. */
    GeoLocator NONE = address -> Location.UNKNOWN;

    /**
     * The location of {@code address} (4 bytes for IPv4, 16 for IPv6; an IPv4-mapped IPv6 address
     * is given as its 4 bytes). Must be cheap and never throw.
     */
    Location locate(byte[] address);

    /**
     * The same, with the location's coordinates when {@code coordinates} and the database has them
     * (distance mode); without, a database may skip decoding them.
     */
    default Location locate(byte[] address, boolean coordinates) {
        return locate(address);
    }
}
