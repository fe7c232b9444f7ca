package dev.pharos.observation;

import java.util.Optional;

/**
 * The location database this vantage point answers geo records from, as it tells its peers in its
 * snapshot (a port: the embedded DNS server implements it), so that vantage points whose databases
 * differ, and may send a client to different regions, are flagged.
 */
public interface GeoDatabaseStamp {
    /** The database served now, or empty without one. */
    Optional<VantageSnapshot.GeoDatabase> current();
}
