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
import java.util.Map;

/**
 * A location database in the MaxMind DB format (GeoLite2 Country/City, DB-IP Lite, the CC0
 * geo-whois country set...), read with MaxMind's reader into memory. Reads {@code country.iso_code}
 * and {@code continent.code} (GeoIP2 layout), else {@code registered_country.iso_code}, else a
 * top-level {@code country_code}; a database without continents gets them from {@link Continents};
 * a City database's {@code location.latitude} and {@code location.longitude} (distance mode). A
 * field of another type (IPinfo's {@code country} is a name) is skipped, not the record.
 */
public final class MaxMindLocator implements GeoLocator {
    private final Reader reader;
    private final Instant built;
    private final String type;

    /** Whether a record of this database did not decode into the fields but did as a map. */
    private volatile boolean lenient;

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
     *
     * <p>A database of another layout (a {@code country} given as a name, as IPinfo's, next to its
     * {@code country_code}; {@code float} coordinates) does not decode into these fields: its
     * records are then read as maps, and what is there is used, other fields skipped. Once a record
     * has needed that, every later lookup of this database takes the map at once rather than
     * failing first.
     */
    @Override
    public Location locate(byte[] address, boolean coordinates) {
        InetAddress a;
        try {
            a = InetAddress.getByAddress(address);
        } catch (IOException e) {
            return Location.UNKNOWN;
        }
        if (!lenient) {
            try {
                return typed(a, address.length, coordinates);
            } catch (IOException | RuntimeException e) {
                // not the layout of the fields: read as a map below
            }
        }
        try {
            Location l = asMap(a, address.length, coordinates);
            lenient = true;
            return l;
        } catch (IOException | RuntimeException e) {
            return Location.UNKNOWN;
        }
    }

    private Location typed(InetAddress a, int length, boolean coordinates) throws IOException {
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
        prefix = prefix(prefix, length);
        if (data == null) {
            return new Location(null, null, prefix);
        }
        return location(
                data.country == null ? null : data.country.isoCode,
                data.registeredCountry == null ? null : data.registeredCountry.isoCode,
                data.countryCode,
                data.continent == null ? null : data.continent.code,
                point == null ? null : point.latitude,
                point == null ? null : point.longitude,
                prefix);
    }

    /** The lenient way: the record as a map, each field used only when it has the expected type. */
    private Location asMap(InetAddress a, int length, boolean coordinates) throws IOException {
        @SuppressWarnings("rawtypes")
        DatabaseRecord<Map> r = reader.getRecord(a, Map.class);
        int prefix = prefix(r.network().prefixLength(), length);
        Map<?, ?> data = r.data();
        if (data == null) {
            return new Location(null, null, prefix);
        }
        Double lat = null;
        Double lon = null;
        if (coordinates && data.get("location") instanceof Map<?, ?> m) {
            lat = m.get("latitude") instanceof Number n ? n.doubleValue() : null;
            lon = m.get("longitude") instanceof Number n ? n.doubleValue() : null;
        }
        return location(
                field(data, "country", "iso_code"),
                field(data, "registered_country", "iso_code"),
                data.get("country_code") instanceof String s ? s : null,
                field(data, "continent", "code"),
                lat,
                lon,
                prefix);
    }

    private static String field(Map<?, ?> data, String object, String field) {
        return data.get(object) instanceof Map<?, ?> m && m.get(field) instanceof String s
                ? s
                : null;
    }

    private static int prefix(int prefix, int length) {
        if (length == 4 && prefix > 32) {
            prefix -= 96; // an IPv4 address in an IPv6 tree
        }
        return Math.max(0, prefix);
    }

    /**
     * The location from the fields read: {@code country.iso_code}, else {@code
     * registered_country.iso_code}, else {@code country_code}; {@code continent.code}, else the
     * country's from {@link Continents}; coordinates when both are there and in range.
     */
    private static Location location(
            String country,
            String registeredCountry,
            String countryCode,
            String continentCode,
            Double latitude,
            Double longitude,
            int prefix) {
        String c = upper(country);
        if (c == null) {
            c = upper(registeredCountry);
        }
        if (c == null) {
            c = upper(countryCode);
        }
        String continent = upper(continentCode);
        if (continent == null) {
            continent = Continents.of(c);
        }
        double lat = Double.NaN;
        double lon = Double.NaN;
        if (latitude != null
                && longitude != null
                && Math.abs(latitude) <= 90
                && Math.abs(longitude) <= 180) {
            lat = latitude;
            lon = longitude;
        }
        return new Location(continent, c, prefix, lat, lon);
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
