package dev.pharos.actuator.dns.geo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.Mmdb;
import dev.pharos.testing.Mmdb.Entry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Location databases written at test time, checked with mmdblookup, read by Pharos. */
class MaxMindLocatorTest {
    @TempDir Path dir;

    private static byte[] ip(String text) throws Exception {
        return InetAddress.getByName(text).getAddress();
    }

    @Test
    void ipv4Ipv6AndIpv4MappedAddressesAreLocatedWithTheirNetworksPrefix() throws Exception {
        Path db = dir.resolve("country.mmdb");
        Mmdb.write(
                db,
                List.of(
                        Entry.of("203.0.113.0/24", "FR", "EU"),
                        Entry.of("198.51.100.0/25", "JP", "AS"),
                        Entry.of("2001:db8:200::/40", "US", "NA")));
        assertThat(Mmdb.lookup(db, "203.0.113.7", "country", "iso_code")).contains("\"FR\"");
        assertThat(Mmdb.lookup(db, "::ffff:198.51.100.1", "continent", "code")).contains("\"AS\"");
        MaxMindLocator l = MaxMindLocator.open(db);
        assertThat(l.locate(ip("203.0.113.7"))).isEqualTo(new Location("EU", "FR", 24));
        assertThat(l.locate(ip("198.51.100.1"))).isEqualTo(new Location("AS", "JP", 25));
        assertThat(l.locate(ip("2001:db8:2ff::1"))).isEqualTo(new Location("NA", "US", 40));
        // the IPv4-mapped form of an address (the server reduces it to its 4 bytes first; the
        // database's own alias answers the 16 bytes too)
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(ip("203.0.113.7"), 0, mapped, 12, 4);
        assertThat(l.locate(mapped).country()).isEqualTo("FR");
        Location none = l.locate(ip("192.0.2.1"));
        assertThat(none.known()).isFalse();
        assertThat(none.prefix()).isBetween(1, 32);
        assertThat(l.built()).isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
    }

    @Test
    void countryOnlyDatabasesGetTheirContinentFromTheBuiltInTable() throws Exception {
        Path db = dir.resolve("geo-whois.mmdb");
        Mmdb.write(
                db,
                List.of(
                        Entry.countryOnly("203.0.113.0/24", "DE"),
                        Entry.countryOnly("2001:db8:300::/48", "BR"),
                        new Entry("198.51.100.0/24", "AU", null, false)));
        assertThat(Mmdb.lookup(db, "203.0.113.1", "country_code")).contains("\"DE\"");
        MaxMindLocator l = MaxMindLocator.open(db);
        assertThat(l.locate(ip("203.0.113.1"))).isEqualTo(new Location("EU", "DE", 24));
        assertThat(l.locate(ip("2001:db8:300::9"))).isEqualTo(new Location("SA", "BR", 48));
        assertThat(l.locate(ip("198.51.100.9"))).isEqualTo(new Location("OC", "AU", 24));
        assertThat(Continents.size()).isGreaterThan(240);
        assertThat(Continents.of("AS")).isEqualTo("OC"); // American Samoa, not Asia
        assertThat(Continents.of("ZZ")).isNull();
    }

    @Test
    void aReplacedFileIsReadAgainWithoutARestartAndABrokenOneKeepsTheOld() throws Exception {
        Path db = dir.resolve("country.mmdb");
        Mmdb.write(db, List.of(Entry.of("203.0.113.0/24", "FR", "EU")));
        GeoDatabase g = new GeoDatabase(Optional.of(db));
        assertThat(g.get().locate(ip("203.0.113.7")).known()).isFalse();
        g.load();
        assertThat(g.get().locate(ip("203.0.113.7")).country()).isEqualTo("FR");
        assertThat(g.refresh()).isFalse();
        Mmdb.write(db, List.of(Entry.of("203.0.113.0/24", "US", "NA")));
        assertThat(g.refresh()).isTrue();
        assertThat(g.get().locate(ip("203.0.113.7")).country()).isEqualTo("US");
        Files.writeString(db, "not a database");
        assertThat(g.refresh()).isFalse();
        assertThat(g.get().locate(ip("203.0.113.7")).country()).isEqualTo("US");
        assertThat(g.built()).isPresent();
    }

    /**
     * Databases of other layouts (IPinfo's: {@code country} a name next to a top-level {@code
     * country_code}, {@code continent} a name too; a City database with {@code float} coordinates)
     * do not fit the fields Pharos decodes into: each record is then read as a map, and what is
     * there is used.
     */
    @Test
    void aCountryGivenAsANameOrFloatCoordinatesStillLocate() throws Exception {
        Path db = dir.resolve("ipinfo.mmdb");
        Mmdb.write(
                db,
                "country => 'utf8_string', country_code => 'utf8_string', continent =>"
                        + " 'utf8_string', continent_code => 'utf8_string'",
                List.<String[]>of(
                        new String[] {
                            "203.0.113.0/24",
                            "{ country => 'Germany', country_code => 'DE', continent => 'Europe',"
                                    + " continent_code => 'EU' }"
                        },
                        new String[] {
                            "2001:db8:300::/48",
                            "{ country => 'Brazil', country_code => 'br', continent => 'South"
                                    + " America', continent_code => 'SA' }"
                        },
                        new String[] {"198.51.100.0/24", "{ country => 'Nowhere' }"}));
        assertThat(Mmdb.lookup(db, "203.0.113.1", "country")).contains("\"Germany\"");
        assertThat(Mmdb.lookup(db, "203.0.113.1", "country_code")).contains("\"DE\"");
        MaxMindLocator l = MaxMindLocator.open(db);
        for (boolean coordinates : new boolean[] {false, true}) {
            assertThat(l.locate(ip("203.0.113.1"), coordinates))
                    .isEqualTo(new Location("EU", "DE", 24));
            assertThat(l.locate(ip("2001:db8:300::9"), coordinates))
                    .isEqualTo(new Location("SA", "BR", 48));
            Location nowhere = l.locate(ip("198.51.100.9"), coordinates);
            assertThat(nowhere.known()).isFalse();
            assertThat(nowhere.prefix()).isEqualTo(24);
        }

        Path city = dir.resolve("float-city.mmdb");
        Mmdb.write(
                city,
                "country => 'map', continent => 'map', iso_code => 'utf8_string', code =>"
                        + " 'utf8_string', location => 'map', latitude => 'float', longitude =>"
                        + " 'float'",
                List.<String[]>of(
                        new String[] {
                            "192.0.2.0/24",
                            "{ country => { iso_code => 'SG' }, continent => { code => 'AS' },"
                                    + " location => { latitude => 1.25, longitude => 103.75 } }"
                        }));
        assertThat(Mmdb.lookup(city, "192.0.2.1", "location", "latitude")).contains("1.25");
        l = MaxMindLocator.open(city);
        Location sg = l.locate(ip("192.0.2.1"), true);
        assertThat(sg.country()).isEqualTo("SG");
        assertThat(sg.continent()).isEqualTo("AS");
        assertThat(sg.prefix()).isEqualTo(24);
        assertThat(sg.hasCoordinates()).isTrue();
        assertThat(sg.latitude()).isEqualTo(1.25); // exact in a float
        assertThat(sg.longitude()).isEqualTo(103.75);
        assertThat(l.locate(ip("192.0.2.1"))).isEqualTo(new Location("AS", "SG", 24));
    }
}
