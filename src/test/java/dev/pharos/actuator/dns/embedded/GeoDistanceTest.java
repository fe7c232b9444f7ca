package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static dev.pharos.actuator.dns.embedded.AnswererTest.rdata;
import static dev.pharos.actuator.dns.embedded.GeoAnsweringTest.ecsQuery;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.dns.geo.GeoLocator;
import dev.pharos.actuator.dns.geo.GeoMatcher;
import dev.pharos.actuator.dns.geo.Location;
import dev.pharos.actuator.dns.geo.MaxMindLocator;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.RecordKind;
import dev.pharos.config.Topology;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.testing.Mmdb;
import dev.pharos.testing.Mmdb.Entry;
import dev.pharos.testing.TestTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Distance mode (docs/GEO.md): a City database written at test time gives clients coordinates and
 * the embedded server's answer path (the answer cache and the full path) walks the record's regions
 * nearest first; configured networks and countries decide before it; a client without coordinates
 * falls back to the continent map. Every address here is data; nothing is sent anywhere.
 */
class GeoDistanceTest {
    @TempDir static Path dir;
    private static GeoLocator locator;

    /**
     * europe at Frankfurt, apac at Singapore, americas at Newark; apac falls back to americas
     * first, which is not the nearer of the two for clients in Asia.
     */
    static TestTopology description() {
        return TestTopology.node("vp1")
                .region("europe", r -> r.ipv4("127.0.1.1").ipv6("2001:db8::1"))
                .region("apac", r -> r.ipv4("127.0.2.1").ipv6("2001:db8::2"))
                .region("americas", r -> r.ipv4("127.0.3.1").ipv6("2001:db8::3"))
                .set("pharos.regions.europe.latitude", 50.11)
                .set("pharos.regions.europe.longitude", 8.68)
                .set("pharos.regions.apac.latitude", 1.35)
                .set("pharos.regions.apac.longitude", 103.82)
                .set("pharos.regions.americas.latitude", 40.74)
                .set("pharos.regions.americas.longitude", -74.17)
                .set("pharos.regions.europe.fallback", List.of("americas", "apac"))
                // not the distance order: distance mode walks by distance, not by fallback
                .set("pharos.regions.apac.fallback", List.of("americas", "europe"))
                .set("pharos.regions.americas.fallback", List.of("europe", "apac"))
                .geo("www.example.test")
                .lastRecord("mode", "distance")
                .lastRecord("nets.203.0.113.128/25", List.of("americas"))
                .lastRecord("countries.BR", List.of("europe"))
                .lastRecord("continents.OC", List.of("apac"))
                .zone("example.test")
                .set("pharos.dns.embedded.listen", List.of("127.0.71.1"));
    }

    @BeforeAll
    static void database() throws Exception {
        Path db = dir.resolve("city.mmdb");
        Mmdb.write(
                db,
                List.of(
                        Entry.city("192.0.2.0/25", "SG", "AS", 1.29, 103.85), // Singapore
                        Entry.of("192.0.2.128/25", "AU", "OC"), // no coordinates
                        Entry.city("203.0.113.0/24", "DE", "EU", 50.11, 8.68), // Frankfurt
                        Entry.city("198.51.100.0/24", "JP", "AS", 35.68, 139.69), // Tokyo
                        Entry.city("2001:db8:200::/40", "US", "NA", 41.88, -87.63), // Chicago
                        Entry.city("2001:db8:300::/48", "BR", "SA", -23.55, -46.63))); // Sao Paulo
        assertThat(Mmdb.lookup(db, "192.0.2.9", "location", "latitude")).contains("1.29");
        assertThat(Mmdb.lookup(db, "2001:db8:2ff::1", "location", "longitude")).contains("-87.63");
        assertThat(Mmdb.lookup(db, "192.0.2.200", "country", "iso_code")).contains("\"AU\"");
        locator = MaxMindLocator.open(db);
    }

    private static QueryProcessor processor(Set<String> out) {
        Topology t = description().topology();
        ZoneData zone =
                ZoneData.build(
                        GeoZone.settings(t).zone(),
                        ManagedRecords.build(
                                t, (region, f) -> !out.contains(region), ManagedRecord::ttl),
                        1_700_000_000L,
                        new GeoSetup(t, () -> locator));
        return new QueryProcessor(
                () -> zone,
                new ResponseRateLimiter(0, 0, System::nanoTime),
                new EmbeddedDnsMetrics(new SimpleMeterRegistry()));
    }

    /** Asks twice (the second from the answer cache) and checks both agree. */
    private static Message ask(QueryProcessor p, byte[] packet) throws Exception {
        InetAddress client = InetAddress.getByName("127.0.0.1");
        byte[] first = p.handle(packet, Transport.UDP, client);
        packet[1]++;
        byte[] second = p.handle(packet, Transport.UDP, client);
        Message a = QueryParser.parse(first).query();
        Message b = QueryParser.parse(second).query();
        assertThat(rdata(b, Section.ANSWER)).isEqualTo(rdata(a, Section.ANSWER));
        return a;
    }

    private static int scope(Message m) {
        List<EDNSOption> o = m.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET);
        return ((ClientSubnetOption) o.get(0)).getScopePrefixLength();
    }

    private static final byte[] SINGAPORE =
            ecsQuery("www.example.test.", Type.A, 1, 32, "c0000209");
    private static final byte[] FRANKFURT = ecsQuery("www.example.test.", Type.A, 1, 24, "cb0071");
    private static final byte[] TOKYO = ecsQuery("www.example.test.", Type.A, 1, 24, "c63364");
    private static final byte[] CHICAGO =
            ecsQuery("www.example.test.", Type.AAAA, 2, 48, "20010db80201");
    private static final byte[] CHICAGO_A =
            ecsQuery("www.example.test.", Type.A, 2, 48, "20010db80201");

    @Test
    void eachClientGetsItsNearestRegionWithTheDatabaseNetworkAsScope() throws Exception {
        QueryProcessor p = processor(Set.of());
        Message sg = ask(p, SINGAPORE.clone());
        assertThat(rdata(sg, Section.ANSWER)).containsExactly("127.0.2.1");
        assertThat(scope(sg)).isEqualTo(25);
        Message fra = ask(p, FRANKFURT.clone());
        assertThat(rdata(fra, Section.ANSWER)).containsExactly("127.0.1.1");
        // the /25 configured inside it would lengthen the scope, but never beyond the source
        assertThat(scope(fra)).isEqualTo(24);
        Message chi = ask(p, CHICAGO.clone());
        assertThat(rdata(chi, Section.ANSWER)).containsExactly("2001:db8::3");
        assertThat(scope(chi)).isEqualTo(40);
        assertThat(rdata(ask(p, CHICAGO_A.clone()), Section.ANSWER)).containsExactly("127.0.3.1");
        assertThat(rdata(ask(p, TOKYO.clone()), Section.ANSWER)).containsExactly("127.0.2.1");
        // without the option: by the source address
        byte[] plain = query("www.example.test.", Type.A).toWire();
        assertThat(
                        rdata(
                                QueryParser.parse(
                                                p.handle(
                                                        plain,
                                                        Transport.UDP,
                                                        InetAddress.getByName("203.0.113.9")))
                                        .query(),
                                Section.ANSWER))
                .containsExactly("127.0.1.1");
    }

    @Test
    void aDeadRegionsClientsGetTheNextNearest() throws Exception {
        QueryProcessor p = processor(Set.of("apac"));
        // Singapore: Frankfurt (about 10 300 km) before Newark (about 15 300 km)
        assertThat(rdata(ask(p, SINGAPORE.clone()), Section.ANSWER)).containsExactly("127.0.1.1");
        // Tokyo: Frankfurt (about 9 300 km) before Newark (about 10 800 km)
        assertThat(rdata(ask(p, TOKYO.clone()), Section.ANSWER)).containsExactly("127.0.1.1");
        assertThat(rdata(ask(p, CHICAGO_A.clone()), Section.ANSWER)).containsExactly("127.0.3.1");
        p = processor(Set.of("europe"));
        // Frankfurt: Newark (about 6 200 km) before Singapore
        assertThat(rdata(ask(p, FRANKFURT.clone()), Section.ANSWER)).containsExactly("127.0.3.1");
    }

    @Test
    void networksAndCountriesDecideFirstAndClientsWithoutCoordinatesUseTheContinentMap()
            throws Exception {
        QueryProcessor p = processor(Set.of());
        // a configured network inside Frankfurt's
        Message net = ask(p, ecsQuery("www.example.test.", Type.A, 1, 32, "cb007185"));
        assertThat(rdata(net, Section.ANSWER)).containsExactly("127.0.3.1");
        assertThat(scope(net)).isEqualTo(25);
        // Sao Paulo is nearest americas, but country BR has a list
        assertThat(
                        rdata(
                                ask(
                                        p,
                                        ecsQuery(
                                                "www.example.test.",
                                                Type.A,
                                                2,
                                                48,
                                                "20010db80300")),
                                Section.ANSWER))
                .containsExactly("127.0.1.1");
        // Australia without coordinates: continent OC -> apac
        Message au = ask(p, ecsQuery("www.example.test.", Type.A, 1, 32, "c00002c8"));
        assertThat(rdata(au, Section.ANSWER)).containsExactly("127.0.2.1");
        assertThat(scope(au)).isEqualTo(25);
        // unknown to the database: every serving region
        assertThat(
                        rdata(
                                ask(p, ecsQuery("www.example.test.", Type.A, 1, 24, "0a0000")),
                                Section.ANSWER))
                .containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
    }

    @Test
    void theMatchSaysNearestByDistance() throws Exception {
        Topology t = description().topology();
        ManagedRecord r =
                t.records().stream()
                        .filter(x -> x.kind() == RecordKind.GEO)
                        .findFirst()
                        .orElseThrow();
        GeoMatcher m = new GeoMatcher(r.geo().orElseThrow());
        GeoMatcher.Match sg = m.match(InetAddress.getByName("192.0.2.9").getAddress(), 32, locator);
        assertThat(sg.kind()).isEqualTo(GeoMatcher.Kind.DISTANCE);
        assertThat(m.head(sg)).containsExactly("apac", "europe", "americas");
        assertThat(m.label(sg)).matches("nearest by distance: apac \\(\\d+ km\\)");
        assertThat(m.km(sg.location(), 1)).isLessThan(20); // Singapore to the apac site
        byte[] chicagoIp = InetAddress.getByName("2001:db8:2ff::1").getAddress();
        Location chicago = locator.locate(chicagoIp, true);
        assertThat(chicago.hasCoordinates()).isTrue();
        assertThat(chicago.latitude()).isEqualTo(41.88);
        // map mode does not ask for them, and the database skips decoding them
        assertThat(locator.locate(chicagoIp).hasCoordinates()).isFalse();
        assertThat(locator.locate(chicagoIp).country()).isEqualTo("US");
        assertThat(
                        locator.locate(InetAddress.getByName("192.0.2.200").getAddress(), true)
                                .hasCoordinates())
                .isFalse();
    }

    @Test
    void everyOrderOfTheRegionsHasItsOwnRank() {
        int n = 5;
        Set<Integer> ranks = new java.util.HashSet<>();
        int orders = 0;
        int[] p = new int[n];
        for (int code = 0; code < Math.pow(n, n); code++) {
            int c = code;
            boolean[] seen = new boolean[n];
            boolean order = true;
            for (int i = 0; i < n; i++) {
                p[i] = c % n;
                c /= n;
                order &= !seen[p[i]];
                seen[p[i]] = true;
            }
            if (order) {
                orders++;
                int r = GeoName.rank(p);
                assertThat(r).isBetween(0, 119);
                ranks.add(r);
            }
        }
        assertThat(orders).isEqualTo(120);
        assertThat(ranks).hasSize(120);
    }

    @Test
    void moreRegionsThanArePrecomputedAreAnsweredWhenAskedAndNotCached() throws Exception {
        String[][] sites = {
            {"frankfurt", "50.11", "8.68"},
            {"london", "51.5", "-0.13"},
            {"singapore", "1.35", "103.82"},
            {"tokyo", "35.68", "139.69"},
            {"sydney", "-33.87", "151.21"},
            {"newark", "40.74", "-74.17"},
            {"saopaulo", "-23.55", "-46.63"}
        };
        assertThat(sites.length).isGreaterThan(GeoName.PRECOMPUTED_SITES);
        TestTopology d = TestTopology.node("vp1");
        for (int i = 0; i < sites.length; i++) {
            String ip = "127.0." + (i + 1) + ".1";
            String[] s = sites[i];
            d =
                    d.region(s[0], r -> r.ipv4(ip))
                            .set("pharos.regions." + s[0] + ".latitude", Double.parseDouble(s[1]))
                            .set("pharos.regions." + s[0] + ".longitude", Double.parseDouble(s[2]));
        }
        Topology t =
                d.geo("www.example.test")
                        .lastRecord("mode", "distance")
                        .zone("example.test")
                        .set("pharos.dns.embedded.listen", List.of("127.0.71.1"))
                        .topology();
        for (var out : List.of(Set.<String>of(), Set.of("singapore"))) {
            ZoneData zone =
                    ZoneData.build(
                            GeoZone.settings(t).zone(),
                            ManagedRecords.build(
                                    t, (region, f) -> !out.contains(region), ManagedRecord::ttl),
                            1_700_000_000L,
                            new GeoSetup(t, () -> locator));
            QueryProcessor p =
                    new QueryProcessor(
                            () -> zone,
                            new ResponseRateLimiter(0, 0, System::nanoTime),
                            new EmbeddedDnsMetrics(new SimpleMeterRegistry()));
            // Singapore's client: singapore, else tokyo (about 5 300 km) before sydney (6 300)
            assertThat(rdata(ask(p, SINGAPORE.clone()), Section.ANSWER))
                    .containsExactly(out.isEmpty() ? "127.0.3.1" : "127.0.4.1");
            // Chicago's client: newark
            assertThat(rdata(ask(p, CHICAGO_A.clone()), Section.ANSWER))
                    .containsExactly("127.0.6.1");
            Message fra = ask(p, FRANKFURT.clone());
            assertThat(rdata(fra, Section.ANSWER)).containsExactly("127.0.1.1");
            assertThat(scope(fra)).isEqualTo(24);
            assertThat(p.cache().responses()).as("not numbered: not cached").isZero();
        }
    }

    /**
     * The answer cache's bound counts rendered responses, not keys: a client choosing its subnet,
     * size limit and flags makes many keys of a distance-mode name with many RRsets, and asks each
     * key for every RRset. The cache never holds more than {@link AnswerCache#MAX_ENTRIES}
     * responses, counted one by one, and still answers as the full path does.
     */
    /**
     * A distance-mode name over six regions with {@code count: 2} (dozens of RRsets), a City
     * database of clients in 16 cities (the /28s of 198.51.100.0/24), and the clients' addresses
     * (hex), the last one unknown to the database.
     */
    private record SixSites(ZoneData zone, GeoLocator locator, List<String> clients) {}

    private static SixSites sixSites(String file) throws Exception {
        String[][] sites = {
            {"frankfurt", "50.11", "8.68"},
            {"london", "51.5", "-0.13"},
            {"singapore", "1.35", "103.82"},
            {"tokyo", "35.68", "139.69"},
            {"sydney", "-33.87", "151.21"},
            {"newark", "40.74", "-74.17"}
        };
        TestTopology d = TestTopology.node("vp1");
        for (int i = 0; i < sites.length; i++) {
            String ip = "127.0." + (i + 1) + ".1";
            String ip6 = "2001:db8::" + (i + 1);
            String[] s = sites[i];
            d =
                    d.region(s[0], r -> r.ipv4(ip).ipv6(ip6))
                            .set("pharos.regions." + s[0] + ".latitude", Double.parseDouble(s[1]))
                            .set("pharos.regions." + s[0] + ".longitude", Double.parseDouble(s[2]));
        }
        Topology t =
                d.geo("www.example.test")
                        .lastRecord("mode", "distance")
                        .lastRecord("count", 2)
                        .zone("example.test")
                        .set("pharos.dns.embedded.listen", List.of("127.0.71.1"))
                        .topology();
        // clients in 16 cities, in the /28s of 198.51.100.0/24, and one the database does not know
        double[][] cities = {
            {50.11, 8.68}, {51.5, -0.13}, {1.29, 103.85}, {35.68, 139.69},
            {-33.87, 151.21}, {40.74, -74.17}, {41.88, -87.63}, {-23.55, -46.63},
            {19.08, 72.88}, {-33.92, 18.42}, {34.05, -118.24}, {55.76, 37.62},
            {40.42, -3.70}, {25.2, 55.27}, {21.31, -157.86}, {64.15, -21.94}
        };
        List<Entry> entries = new java.util.ArrayList<>();
        List<String> clients = new java.util.ArrayList<>();
        for (int i = 0; i < cities.length; i++) {
            entries.add(
                    Entry.city(
                            "198.51.100." + 16 * i + "/28",
                            "ZZ",
                            "EU",
                            cities[i][0],
                            cities[i][1]));
            clients.add(String.format("c63364%02x", 16 * i));
        }
        clients.add("c0000200"); // 192.0.2.0/28: not in the database
        Path db = dir.resolve(file);
        Mmdb.write(db, entries);
        GeoLocator cityLocator = MaxMindLocator.open(db);
        ZoneData zone =
                ZoneData.build(
                        GeoZone.settings(t).zone(),
                        ManagedRecords.build(t, (region, f) -> true, ManagedRecord::ttl),
                        1_700_000_000L,
                        new GeoSetup(t, () -> cityLocator));
        return new SixSites(zone, cityLocator, clients);
    }

    @Test
    void equalRRsetsOfDifferentOrdersAreOneList() throws Exception {
        SixSites six = sixSites("orders.mmdb");
        GeoName geo = six.zone().geo(org.xbill.DNS.Name.fromString("www.example.test."));
        java.util.Map<Integer, List<org.xbill.DNS.Record>> byId = new java.util.HashMap<>();
        int shared = 0;
        for (int type : new int[] {Type.A, Type.AAAA}) {
            for (String client : six.clients()) {
                GeoName.Choice c =
                        geo.choose(
                                type, java.util.HexFormat.of().parseHex(client), 28, six.locator());
                assertThat(c.id()).isBetween(0, geo.answers() - 1);
                List<org.xbill.DNS.Record> first = byId.putIfAbsent(c.id(), c.rrset());
                if (first != null) {
                    assertThat(c.rrset()).as("one list per number").isSameAs(first);
                    shared++;
                }
            }
        }
        // clients of different cities whose nearest two regions are the same walk different
        // orders of the six (distinct ranks), yet get the one list of their RRset
        assertThat(shared).as("clients sharing an RRset").isPositive();
        assertThat(geo.answers()).isGreaterThan(byId.size());
    }

    @Test
    void aFloodOfKeysAndAnswersNeverStoresMoreResponsesThanTheBound() throws Exception {
        SixSites six = sixSites("flood.mmdb");
        ZoneData zone = six.zone();
        List<String> clients = six.clients();
        QueryProcessor p =
                new QueryProcessor(
                        () -> zone,
                        new ResponseRateLimiter(0, 0, System::nanoTime),
                        new EmbeddedDnsMetrics(new SimpleMeterRegistry()));
        InetAddress source = InetAddress.getByName("127.0.0.1");
        AnswerCache cache = p.cache();
        Set<List<String>> rrsets = new java.util.HashSet<>();
        int queries = 0;
        int peak = 0;
        int clears = 0;
        int last = 0;
        for (int payload = 512; payload < 712; payload++) {
            for (int flags = 0; flags < 8; flags++) {
                for (int type : new int[] {Type.A, Type.AAAA}) {
                    for (String client : clients) {
                        byte[] packet = floodQuery(type, payload, flags, client);
                        byte[] got = p.handle(packet, Transport.UDP, source);
                        queries++;
                        int n = cache.responses();
                        assertThat(n).isLessThanOrEqualTo(AnswerCache.MAX_ENTRIES);
                        clears += n < last ? 1 : 0;
                        last = n;
                        peak = Math.max(peak, n);
                        if (queries % 97 == 0) {
                            assertThat(cache.stored())
                                    .as("stored, counted one by one")
                                    .isLessThanOrEqualTo(n);
                            assertThat(cache.size()).isLessThanOrEqualTo(cache.stored());
                        }
                        if (queries % 41 == 0 || payload == 711) {
                            assertThat(got)
                                    .as("the full path's response")
                                    .isEqualTo(
                                            QueryProcessor.respond(
                                                            packet, Transport.UDP, zone, source)
                                                    .bytes());
                        }
                        if (payload == 512 && flags == 0) {
                            rrsets.add(rdata(QueryParser.parse(got).query(), Section.ANSWER));
                        }
                    }
                }
            }
        }
        assertThat(p.cache()).isSameAs(cache);
        // the flood asked for many RRsets per key, more responses in all than the bound
        assertThat(rrsets).hasSizeGreaterThan(12);
        assertThat(queries).isGreaterThan(2 * AnswerCache.MAX_ENTRIES);
        assertThat(clears).isGreaterThanOrEqualTo(2);
        assertThat(peak).isGreaterThan(AnswerCache.MAX_ENTRIES * 9 / 10);
        assertThat(cache.stored()).isLessThanOrEqualTo(cache.responses());
    }

    /**
     * A query for www with a Client Subnet option (IPv4, /28) for {@code client} (hex), the UDP
     * payload size {@code payload} and, by the bits of {@code flags}, RD cleared, CD and DO set.
     */
    private static byte[] floodQuery(int type, int payload, int flags, String client) {
        Message q = query("www.example.test.", type);
        if ((flags & 1) != 0) {
            q.getHeader().unsetFlag(org.xbill.DNS.Flags.RD);
        }
        if ((flags & 2) != 0) {
            q.getHeader().setFlag(org.xbill.DNS.Flags.CD);
        }
        byte[] address = java.util.HexFormat.of().parseHex(client);
        byte[] data = new byte[4 + address.length];
        data[1] = 1;
        data[2] = 28;
        System.arraycopy(address, 0, data, 4, address.length);
        q.addRecord(
                new org.xbill.DNS.OPTRecord(
                        payload,
                        0,
                        0,
                        (flags & 4) != 0 ? org.xbill.DNS.ExtendedFlags.DO : 0,
                        new org.xbill.DNS.GenericEDNSOption(EDNSOption.Code.CLIENT_SUBNET, data)),
                Section.ADDITIONAL);
        return q.toWire();
    }
}
