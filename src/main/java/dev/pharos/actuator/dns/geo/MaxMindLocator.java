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
        return locate(address, false);
    }

    /**
     * With {@code coordinates}, the record is decoded with its {@code location} ({@link
     * CityFields}); without, the reader skips it ({@link Fields}): map mode pays nothing for a City
     * database's coordinates.
     */
    @Override
    public Location locate(byte[] address, boolean coordinates) {
        try {
            InetAddress a = InetAddress.getByAddress(address);
            Fields data;
            Point point = null;
            int prefix;
            if (coordinates) {
                DatabaseRecord<CityFields> r = reader.getRecord(a, CityFields.class);
                prefix = r.network().prefixLength();
                CityFields c = r.data();
                data = c == null ? null : c.fields;
                point = c == null ? null : c.location;
            } else {
                DatabaseRecord<Fields> r = reader.getRecord(a, Fields.class);
                prefix = r.network().prefixLength();
                data = r.data();
            }
            if (address.length == 4 && prefix > 32) {
                prefix -= 96; // an IPv4 address in an IPv6 tree
            }
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
            if (point != null
                    && point.latitude != null
                    && point.longitude != null
                    && Math.abs(point.latitude) <= 90
                    && Math.abs(point.longitude) <= 180) {
                lat = point.latitude;
                lon = point.longitude;
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
     * its subdivisions, its coordinates unless asked for) without building strings and maps for
     * them.
     */
    public static final class Fields {
        final Code country;
        final Code registeredCountry;
        final Code continent;
        final String countryCode;

        @MaxMindDbConstructor
        public Fields(
                @MaxMindDbParameter(name = "country") Code country,
                @MaxMindDbParameter(name = "registered_country") Code registeredCountry,
                @MaxMindDbParameter(name = "continent") Code continent,
                @MaxMindDbParameter(name = "country_code") String countryCode) {
            this.country = country;
            this.registeredCountry = registeredCountry;
            this.continent = continent;
            this.countryCode = countryCode;
        }
    }

    /** The same fields and a City database's {@code location} (distance mode). */
    public static final class CityFields {
        final Fields fields;
        final Point location;

        @MaxMindDbConstructor
        public CityFields(
                @MaxMindDbParameter(name = "country") Code country,
                @MaxMindDbParameter(name = "registered_country") Code registeredCountry,
                @MaxMindDbParameter(name = "continent") Code continent,
                @MaxMindDbParameter(name = "country_code") String countryCode,
                @MaxMindDbParameter(name = "location") Point location) {
            this.fields = new Fields(country, registeredCountry, continent, countryCode);
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
