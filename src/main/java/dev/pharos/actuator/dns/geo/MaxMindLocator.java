package dev.pharos.actuator.dns.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * A location database in the MaxMind DB format (GeoLite2 Country/City, DB-IP Lite, the CC0
 * geo-whois country set...), read with MaxMind's reader into memory. Reads {@code country.iso_code}
 * and {@code continent.code} (GeoIP2 layout), else {@code registered_country.iso_code}, else a
 * top-level {@code country_code}; a database without continents gets them from {@link Continents};
 * a City database's {@code location.latitude} and {@code location.longitude} (distance mode).
 */
public final class MaxMindLocator implements GeoLocator {
    private final Reader reader;
    private final Instant built;
    private final String type;

    private MaxMindLocator(Reader reader) {
        this.reader = reader;
        this.built = reader.getMetadata().buildTime();
        this.type = reader.getMetadata().databaseType();
    }

    /**
     * Opens the database from its bytes. Its data records, once decoded, are kept (MaxMind's {@link
     * CHMCache}, 4096 of them): a lookup is a walk of the tree and a cache hit, not a decoding into
     * new maps and strings on every query; the records are only read.
     */
    public static MaxMindLocator open(byte[] bytes) throws IOException {
        return new MaxMindLocator(
                new Reader(new java.io.ByteArrayInputStream(bytes), new CHMCache()));
    }

    /** Opens the database (read into memory: the file may be replaced at once). */
    public static MaxMindLocator open(Path file) throws IOException {
        return new MaxMindLocator(
                new Reader(file.toFile(), Reader.FileMode.MEMORY, new CHMCache()));
    }

    /** The database's build date (its metadata's build epoch). */
    public Instant built() {
        return built;
    }

    public String type() {
        return type;
    }

    @Override
    public Location locate(byte[] address) {
        try {
            InetAddress a = InetAddress.getByAddress(address);
            DatabaseRecord<Fields> r = reader.getRecord(a, Fields.class);
            int prefix = r.network().prefixLength();
            if (address.length == 4 && prefix > 32) {
                prefix -= 96; // an IPv4 address in an IPv6 tree
            }
            Fields data = r.data();
            if (data == null) {
                return new Location(null, null, Math.max(0, prefix));
            }
            String country = upper(data.country == null ? null : data.country.isoCode);
            if (country == null) {
                country =
                        upper(
                                data.registeredCountry == null
                                        ? null
                                        : data.registeredCountry.isoCode);
            }
            if (country == null) {
                country = upper(data.countryCode);
            }
            String continent = upper(data.continent == null ? null : data.continent.code);
            if (continent == null) {
                continent = Continents.of(country);
            }
            double lat = Double.NaN;
            double lon = Double.NaN;
            Point p = data.location;
            if (p != null
                    && p.latitude != null
                    && p.longitude != null
                    && Math.abs(p.latitude) <= 90
                    && Math.abs(p.longitude) <= 180) {
                lat = p.latitude;
                lon = p.longitude;
            }
            return new Location(continent, country, Math.max(0, prefix), lat, lon);
        } catch (IOException | RuntimeException e) {
            return Location.UNKNOWN;
        }
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    /**
     * The fields of a data record that Pharos reads, decoded into this instead of a map of the
     * whole record: the reader skips every other field (a City database's names in eight languages,
     * its subdivisions) without building strings and maps for them.
     */
    public static final class Fields {
        final Code country;
        final Code registeredCountry;
        final Code continent;
        final String countryCode;
        final Point location;

        @MaxMindDbConstructor
        public Fields(
                @MaxMindDbParameter(name = "country") Code country,
                @MaxMindDbParameter(name = "registered_country") Code registeredCountry,
                @MaxMindDbParameter(name = "continent") Code continent,
                @MaxMindDbParameter(name = "country_code") String countryCode,
                @MaxMindDbParameter(name = "location") Point location) {
            this.country = country;
            this.registeredCountry = registeredCountry;
            this.continent = continent;
            this.countryCode = countryCode;
            this.location = location;
        }
    }

    /** A City database's {@code location}: the network's coordinates (distance mode). */
    public static final class Point {
        final Double latitude;
        final Double longitude;

        @MaxMindDbConstructor
        public Point(
                @MaxMindDbParameter(name = "latitude") Double latitude,
                @MaxMindDbParameter(name = "longitude") Double longitude) {
            this.latitude = latitude;
            this.longitude = longitude;
        }
    }

    /** A country's {@code iso_code} or a continent's {@code code}. */
    public static final class Code {
        final String isoCode;
        final String code;

        @MaxMindDbConstructor
        public Code(
                @MaxMindDbParameter(name = "iso_code") String isoCode,
                @MaxMindDbParameter(name = "code") String code) {
            this.isoCode = isoCode;
            this.code = code;
        }
    }
}
