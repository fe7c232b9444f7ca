package dev.pharos.actuator.dns.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
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
 * top-level {@code country_code}; a database without continents gets them from {@link Continents}.
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
            @SuppressWarnings("rawtypes")
            DatabaseRecord<Map> r = reader.getRecord(a, Map.class);
            int prefix = r.network().prefixLength();
            if (address.length == 4 && prefix > 32) {
                prefix -= 96; // an IPv4 address in an IPv6 tree
            }
            Map<?, ?> data = r.data();
            if (data == null) {
                return new Location(null, null, Math.max(0, prefix));
            }
            String country = code(data, "country", "iso_code");
            if (country == null) {
                country = code(data, "registered_country", "iso_code");
            }
            if (country == null && data.get("country_code") instanceof String s) {
                country = s.toUpperCase(Locale.ROOT);
            }
            String continent = code(data, "continent", "code");
            if (continent == null) {
                continent = Continents.of(country);
            }
            return new Location(continent, country, Math.max(0, prefix));
        } catch (IOException | RuntimeException e) {
            return Location.UNKNOWN;
        }
    }

    private static String code(Map<?, ?> data, String object, String field) {
        return data.get(object) instanceof Map<?, ?> m && m.get(field) instanceof String s
                ? s.toUpperCase(Locale.ROOT)
                : null;
    }
}
