package dev.pharos.actuator.dns.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Family;
import dev.pharos.config.Topology;
import dev.pharos.decision.Decider;
import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.FamilyStatus;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.decision.RegionState;
import dev.pharos.decision.RegionStatus;
import dev.pharos.testing.Mmdb;
import dev.pharos.testing.Mmdb.Entry;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Tools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The embedded server's geo answers against gdnsd's geoip plugin (Debian's gdnsd): the same map,
 * the same location database (written here), the same health states (gdnsd's datacenters forced
 * DOWN in its admin_state file; Pharos's regions DEAD through the decision), and a corpus of client
 * subnets on every continent, asked with EDNS Client Subnet through dnsjava for every combination
 * of dead regions. Both must pick the same region. The differences that are choices are listed in
 * {@link #CHOICES} and checked as such (each side does what docs/GEO.md says it does), never
 * skipped silently.
 */
class GeoGdnsdDifferentialTest {
    private static final List<String> REGIONS = List.of("europe", "apac", "americas");
    private static final Map<String, String> ADDRESS =
            Map.of("europe", "127.0.1.1", "apac", "127.0.2.1", "americas", "127.0.3.1");
    private static final String PHAROS_IP = "127.0.79.1";
    private static final String GDNSD_IP = "127.0.80.1";

    /** A client subnet of the corpus and what the database (or a configured network) says. */
    record Client(String subnet, String what) {}

    /** The database: every continent, both families; networks are test data only. */
    static final List<Entry> DATABASE =
            List.of(
                    Entry.of("203.0.113.0/27", "FR", "EU"),
                    Entry.of("203.0.113.32/27", "ZA", "AF"),
                    Entry.of("203.0.113.64/27", "JP", "AS"),
                    Entry.of("203.0.113.96/27", "AU", "OC"),
                    Entry.of("203.0.113.128/27", "US", "NA"),
                    Entry.of("203.0.113.160/27", "BR", "SA"),
                    Entry.of("203.0.113.192/27", "AQ", "AN"),
                    Entry.of("203.0.113.224/27", "RU", "EU"),
                    Entry.of("198.51.100.0/24", "US", "NA"),
                    Entry.of("2001:db8:1::/48", "GB", "EU"),
                    Entry.of("2001:db8:2::/48", "IN", "AS"),
                    Entry.of("2001:db8:3::/48", "CA", "NA"),
                    Entry.of("2001:db8:4::/48", "NZ", "OC"),
                    Entry.of("2001:db8:5::/48", "AR", "SA"),
                    Entry.of("2001:db8:6::/48", "NG", "AF"),
                    Entry.of("2001:db8:100::/48", "JP", "AS"),
                    new Entry("192.0.2.0/26", "DE", null, false));

    static final List<Client> CORPUS =
            List.of(
                    new Client("203.0.113.0/27", "EU FR"),
                    new Client("203.0.113.32/27", "AF ZA"),
                    new Client("203.0.113.64/27", "AS JP"),
                    new Client("203.0.113.96/27", "OC AU"),
                    new Client("203.0.113.128/27", "NA US"),
                    new Client("203.0.113.160/27", "SA BR"),
                    new Client("203.0.113.192/27", "AN AQ"),
                    new Client("203.0.113.224/27", "EU RU, a country with a list"),
                    new Client("198.51.100.0/24", "net 198.51.100.0/24 (the database says US)"),
                    new Client("2001:db8:1::/48", "EU GB"),
                    new Client("2001:db8:2::/48", "AS IN"),
                    new Client("2001:db8:3::/48", "NA CA"),
                    new Client("2001:db8:4::/48", "OC NZ"),
                    new Client("2001:db8:5::/48", "SA AR"),
                    new Client("2001:db8:6::/48", "AF NG"),
                    new Client("2001:db8:100::/48", "net 2001:db8:100::/48 (the database says JP)"),
                    new Client("192.0.2.0/26", "DE, the database gives no continent"),
                    new Client("192.0.2.128/25", "not in the database"));

    /** gdnsd's default list: where it sends a client it cannot place in its map. */
    static final List<String> GDNSD_DEFAULT = List.of("americas", "europe", "apac");

    /**
     * The deliberate differences, by client, each with what Pharos does instead (gdnsd walks its
     * map's default list for all of them): a client Pharos cannot place gets every serving region
     * (the round-robin, docs/GEO.md), Antarctica has no list in Pharos's map, and a database entry
     * with a country but no continent gets its continent from Pharos's country table.
     */
    static final Map<String, String> CHOICES =
            Map.of(
                    "203.0.113.192/27", "unknown: AN has no list",
                    "192.0.2.128/25", "unknown: not in the database",
                    "192.0.2.0/26", "continent EU from the country table");

    /** The first region of {@code list} that is not dead; the first of all when every one is. */
    private static String firstServing(List<String> list, Set<String> dead) {
        return ADDRESS.get(
                list.stream().filter(r -> !dead.contains(r)).findFirst().orElse(list.get(0)));
    }

    @TempDir Path dir;

    private static Topology topology(Path db, int port) {
        return TestTopology.node("vp1")
                .region("europe", r -> r.ipv4(ADDRESS.get("europe")))
                .region("apac", r -> r.ipv4(ADDRESS.get("apac")))
                .region("americas", r -> r.ipv4(ADDRESS.get("americas")))
                .set("pharos.regions.europe.fallback", List.of("americas", "apac"))
                .set("pharos.regions.apac.fallback", List.of("europe", "americas"))
                .set("pharos.regions.americas.fallback", List.of("europe", "apac"))
                .geo("www.example.test")
                .lastRecord("ttl", 30)
                .lastRecord("continents.EU", List.of("europe"))
                .lastRecord("continents.AF", List.of("europe"))
                .lastRecord("continents.AS", List.of("apac"))
                .lastRecord("continents.OC", List.of("apac"))
                .lastRecord("continents.NA", List.of("americas"))
                .lastRecord("continents.SA", List.of("americas"))
                .lastRecord("countries.RU", List.of("apac"))
                .lastRecord("nets.198.51.100.0/24", List.of("apac"))
                .lastRecord("nets.2001:db8:100::/48", List.of("americas"))
                .policy("max-removals", 3)
                .zone("example.test")
                .set("pharos.dns.embedded.listen", List.of(PHAROS_IP))
                .set("pharos.dns.embedded.port", port)
                .set("pharos.dns.embedded.geo-database", db.toString())
                .topology();
    }

    /** gdnsd's map: each location's list written out whole (Pharos adds the fallback order). */
    private static String gdnsdConfig(Path base, int port) {
        return """
                options => {
                  listen => [ %s:%d ]
                  run_dir => %s/run
                  state_dir => %s/state
                  min_ttl => 1
                  zones_default_ttl => 1
                  edns_client_subnet => true
                }
                plugins => {
                  geoip => {
                    maps => {
                      m => {
                        geoip2_db => %s/country.mmdb
                        datacenters => [americas, europe, apac]
                        map => {
                          default => [americas, europe, apac]
                          EU => { default => [europe, americas, apac], RU => [apac, europe, americas] }
                          AF => [europe, americas, apac]
                          AS => [apac, europe, americas]
                          OC => [apac, europe, americas]
                          NA => [americas, europe, apac]
                          SA => [americas, europe, apac]
                        }
                        nets => {
                          198.51.100.0/24 => [apac, europe, americas]
                          2001:db8:100::/48 => [americas, europe, apac]
                        }
                      }
                    }
                    resources => {
                      www => {
                        map => m
                        service_types => up
                        dcmap => { europe => 127.0.1.1, apac => 127.0.2.1, americas => 127.0.3.1 }
                      }
                    }
                  }
                }
                """
                .formatted(GDNSD_IP, port, base, base, base);
    }

    @Test
    void bothPickTheSameRegionForEveryClientAndEveryCombinationOfDeadRegions() throws Exception {
        Path gdnsd = Tools.require("gdnsd", "gdnsd");
        Path db = dir.resolve("country.mmdb");
        Mmdb.write(db, DATABASE);
        Files.createDirectories(dir.resolve("zones"));
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(
                dir.resolve("zones/example.test"),
                "$TTL 30\n@ SOA ns1 hostmaster 1 3600 600 86400 30\n@ NS ns1\n"
                        + "ns1 A 127.0.0.1\nwww 30 DYNA geoip!www\n");
        int gdnsdPort = Ports.freeUdpAndTcp(GDNSD_IP);
        Files.writeString(dir.resolve("config"), gdnsdConfig(dir, gdnsdPort));

        Topology t = topology(db, Ports.freeUdpAndTcp(PHAROS_IP));
        Vertx vertx = TestZone.nativeVertx();
        EmbeddedDnsProvider pharos =
                new EmbeddedDnsProvider(
                        t,
                        vertx,
                        new EmbeddedDnsMetrics(new SimpleMeterRegistry()),
                        Clock.systemUTC());
        List<String> differences = new ArrayList<>();
        List<String> choices = new ArrayList<>();
        int compared = 0;
        try {
            pharos.start(ManagedRecords.failOpen(t));
            for (int mask = 0; mask < 8; mask++) {
                Set<String> dead = new TreeSet<>();
                for (int i = 0; i < 3; i++) {
                    if ((mask & (1 << i)) != 0) {
                        dead.add(REGIONS.get(i));
                    }
                }
                pharos.publish(decided(t, dead));
                StringBuilder admin = new StringBuilder();
                dead.forEach(d -> admin.append("geoip/www/").append(d).append(" => DOWN\n"));
                Files.writeString(dir.resolve("state/admin_state"), admin);
                Process p =
                        new ProcessBuilder(gdnsd.toString(), "-c", dir.toString(), "-f", "start")
                                .redirectErrorStream(true)
                                .redirectOutput(dir.resolve("gdnsd-" + mask + ".log").toFile())
                                .start();
                try {
                    InetSocketAddress g = new InetSocketAddress(GDNSD_IP, gdnsdPort);
                    awaitServing(g, p, dir.resolve("gdnsd-" + mask + ".log"));
                    InetSocketAddress ph = new InetSocketAddress(PHAROS_IP, pharos.port());
                    for (Client c : CORPUS) {
                        Set<String> fromPharos = ask(ph, c.subnet());
                        Set<String> fromGdnsd = ask(g, c.subnet());
                        Set<String> serving = new TreeSet<>();
                        REGIONS.stream()
                                .filter(r -> !dead.contains(r))
                                .forEach(r -> serving.add(ADDRESS.get(r)));
                        String where = c.subnet() + " (" + c.what() + "), dead " + dead;
                        if (CHOICES.containsKey(c.subnet())) {
                            // the choice, checked on both sides
                            assertThat(fromGdnsd)
                                    .as("gdnsd, " + where)
                                    .containsExactly(firstServing(GDNSD_DEFAULT, dead));
                            Set<String> pharosExpected =
                                    CHOICES.get(c.subnet()).startsWith("unknown")
                                            ? (serving.isEmpty()
                                                    ? new TreeSet<>(ADDRESS.values())
                                                    : serving)
                                            : Set.of(
                                                    firstServing(
                                                            List.of("europe", "americas", "apac"),
                                                            dead));
                            assertThat(fromPharos).as("Pharos, " + where).isEqualTo(pharosExpected);
                            choices.add(where + ": Pharos " + fromPharos + ", gdnsd " + fromGdnsd);
                            continue;
                        }
                        compared++;
                        if (!fromPharos.equals(fromGdnsd)) {
                            differences.add(
                                    where + ": Pharos " + fromPharos + ", gdnsd " + fromGdnsd);
                        }
                    }
                } finally {
                    p.destroy();
                    if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        } finally {
            pharos.stop();
            vertx.close();
        }
        assertThat(compared).isEqualTo(8 * (CORPUS.size() - CHOICES.size()));
        // the listed choices do make a difference somewhere (else they are not choices)
        assertThat(choices.stream().filter(c -> !sameAnswer(c))).isNotEmpty();
        assertThat(differences).as("differences outside the listed choices").isEmpty();
    }

    private static boolean sameAnswer(String line) {
        String pharos = line.substring(line.indexOf(": Pharos ") + 9, line.indexOf(", gdnsd "));
        return pharos.equals(line.substring(line.indexOf(", gdnsd ") + 8));
    }

    /** The RRsets the decision publishes with the {@code dead} regions DEAD, the others HEALTHY. */
    private static Map<dev.pharos.domain.RecordKey, dev.pharos.domain.RecordSet> decided(
            Topology t, Set<String> dead) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Map<String, RegionStatus> statuses = new LinkedHashMap<>();
        for (String region : REGIONS) {
            RegionState s = dead.contains(region) ? RegionState.DEAD : RegionState.HEALTHY;
            Map<Family, FamilyStatus> f = new EnumMap<>(Family.class);
            f.put(Family.IPV4, new FamilyStatus(Family.IPV4, s, s.label()));
            statuses.put(region, new RegionStatus(region, s, f, 0, 1, s.label(), now));
        }
        return Decider.decide(t, statuses, DecisionMemory.empty(), now).desired().records();
    }

    /** The A answer for a client in {@code subnet}, asked with Client Subnet through dnsjava. */
    private static Set<String> ask(InetSocketAddress server, String subnet) throws IOException {
        int slash = subnet.indexOf('/');
        ClientSubnetOption ecs =
                new ClientSubnetOption(
                        Integer.parseInt(subnet.substring(slash + 1)),
                        InetAddress.getByName(subnet.substring(0, slash)));
        Message q =
                Message.newQuery(
                        Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.IN));
        q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(ecs)), Section.ADDITIONAL);
        SimpleResolver r = new SimpleResolver(server);
        r.setTimeout(Duration.ofSeconds(5));
        Message m = r.send(q);
        assertThat(m.getRcode()).as(server + " " + subnet).isEqualTo(Rcode.NOERROR);
        Set<String> out = new TreeSet<>();
        for (Record a : m.getSection(Section.ANSWER)) {
            if (a instanceof ARecord ar) {
                out.add(ar.getAddress().getHostAddress());
            }
        }
        return out;
    }

    private static void awaitServing(InetSocketAddress server, Process p, Path log)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                Message q =
                        Message.newQuery(
                                Record.newRecord(
                                        Name.fromString("example.test."), Type.SOA, DClass.IN));
                SimpleResolver r = new SimpleResolver(server);
                r.setTimeout(Duration.ofMillis(500));
                if (r.send(q).getRcode() == Rcode.NOERROR) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "gdnsd did not start serving: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }
}
