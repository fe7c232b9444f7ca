package dev.pharos.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Location databases in the MaxMind DB format, written at test time with Debian's MaxMind DB writer
 * ({@code libmaxmind-db-writer-perl}), and read back with {@code mmdblookup} ({@code mmdb-bin}).
 * Nothing is downloaded: every network in them is test data.
 */
public final class Mmdb {
    private Mmdb() {}

    /**
     * One network: its country and continent codes (continent null: a country-only database, as the
     * CC0 geo-whois set; {@code countryCodeOnly}: the country as a top-level {@code country_code}
     * instead of {@code country.iso_code}); a City database's {@code location.latitude} and {@code
     * location.longitude} when not null.
     */
    public record Entry(
            String network,
            String country,
            String continent,
            boolean countryCodeOnly,
            Double latitude,
            Double longitude) {
        public Entry(String network, String country, String continent, boolean countryCodeOnly) {
            this(network, country, continent, countryCodeOnly, null, null);
        }

        public static Entry of(String network, String country, String continent) {
            return new Entry(network, country, continent, false);
        }

        /** A City database's network, with its coordinates. */
        public static Entry city(
                String network, String country, String continent, double lat, double lon) {
            return new Entry(network, country, continent, false, lat, lon);
        }

        public static Entry countryOnly(String network, String country) {
            return new Entry(network, country, null, true);
        }
    }

    /**
     * Writes the database to {@code file} atomically (a new file renamed over it), IPv6 tree with
     * IPv4 aliased at ::ffff:0:0/96 as MaxMind's own databases are.
     */
    public static void write(Path file, List<Entry> entries) throws IOException {
        List<String[]> records = new ArrayList<>();
        for (Entry e : entries) {
            String data;
            if (e.countryCodeOnly()) {
                data = "{ country_code => '" + e.country() + "' }";
            } else if (e.continent() == null) {
                data = "{ country => { iso_code => '" + e.country() + "' } }";
            } else {
                data =
                        "{ country => { iso_code => '"
                                + e.country()
                                + "' }, continent => { code => '"
                                + e.continent()
                                + "' }"
                                + (e.latitude() == null
                                        ? ""
                                        : ", location => { latitude => "
                                                + e.latitude()
                                                + ", longitude => "
                                                + e.longitude()
                                                + " }")
                                + " }";
            }
            records.add(new String[] {e.network(), data});
        }
        write(
                file,
                "country => 'map', continent => 'map', iso_code => 'utf8_string', code =>"
                        + " 'utf8_string', country_code => 'utf8_string', location => 'map',"
                        + " latitude => 'double', longitude => 'double'",
                records);
    }

    /**
     * Writes a database of other layouts: {@code types} is the Perl list of each key's type (the
     * writer's {@code map_key_type_callback}: {@code country => 'utf8_string'} for a country given
     * as a name), and each record a network with its data as a Perl hash.
     */
    public static void write(Path file, String types, List<String[]> records) throws IOException {
        StringBuilder perl = new StringBuilder();
        perl.append("use strict; use warnings;\n")
                .append("use MaxMind::DB::Writer::Tree;\n")
                .append("my %types = (")
                .append(types)
                .append(");\n")
                .append(
                        """
                        my $tree = MaxMind::DB::Writer::Tree->new(
                            ip_version => 6, record_size => 24, database_type => 'Pharos-Test-Country',
                            languages => ['en'], description => { en => 'Pharos test database' },
                            alias_ipv6_to_ipv4 => 1, remove_reserved_networks => 0,
                            map_key_type_callback => sub { $types{ $_[0] } });
                        """);
        for (String[] r : records) {
            perl.append("$tree->insert_network('")
                    .append(r[0])
                    .append("', ")
                    .append(r[1])
                    .append(");\n");
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        perl.append("open my $fh, '>:raw', $ARGV[0] or die; $tree->write_tree($fh); close $fh;\n");
        Path script = Files.createTempFile("mmdb", ".pl");
        try {
            Files.writeString(script, perl);
            run(List.of("perl", script.toString(), tmp.toString()));
        } finally {
            Files.deleteIfExists(script);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * What {@code mmdblookup} finds for {@code address} under {@code path} (e.g. country iso_code).
     */
    public static String lookup(Path file, String address, String... path) throws IOException {
        List<String> cmd =
                new ArrayList<>(List.of("mmdblookup", "--file", file.toString(), "--ip", address));
        cmd.addAll(List.of(path));
        return run(cmd).trim();
    }

    private static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd.get(0) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
