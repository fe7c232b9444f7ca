package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static dev.pharos.actuator.dns.embedded.AnswererTest.rdata;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.dns.geo.GeoLocator;
import dev.pharos.config.Topology;
import dev.pharos.decision.ManagedRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Geo names answered per client through the whole query path (bytes in, bytes out, parsed by
 * dnsjava): the location from EDNS Client Subnet or the source address, the scope of RFC 7871, and
 * the cache that must never hand one client's answer to another.
 */
class GeoAnsweringTest {
    private final ZoneData zone = GeoZone.zone(Set.of(), GeoZone.LOCATOR);

    /** A query with a raw Client Subnet option: family, source prefix, address octets (hex). */
    static byte[] ecsQuery(String name, int type, int family, int source, String hex) {
        Message q = query(name, type);
        byte[] address = HexFormat.of().parseHex(hex);
        byte[] data = new byte[4 + address.length];
        data[1] = (byte) family;
        data[2] = (byte) source;
        System.arraycopy(address, 0, data, 4, address.length);
        q.addRecord(
                new OPTRecord(
                        1232, 0, 0, 0, new GenericEDNSOption(EDNSOption.Code.CLIENT_SUBNET, data)),
                Section.ADDITIONAL);
        return q.toWire();
    }

    private Message ask(ZoneData z, byte[] packet, String source) throws Exception {
        InetAddress client = source == null ? null : InetAddress.getByName(source);
        return new Message(QueryProcessor.respond(packet, Transport.UDP, z, client).bytes());
    }

    private Message ask(byte[] packet) throws Exception {
        return ask(zone, packet, "127.0.0.1");
    }

    private static ClientSubnetOption ecs(Message m) {
        OPTRecord opt = m.getOPT();
        assertThat(opt).as("OPT in " + m).isNotNull();
        List<EDNSOption> o = opt.getOptions(EDNSOption.Code.CLIENT_SUBNET);
        return o.isEmpty() ? null : (ClientSubnetOption) o.get(0);
    }

    @Test
    void aConfiguredNetworkDecidesAndItsPrefixIsTheScope() throws Exception {
        Message r = ask(ecsQuery("www.example.test.", Type.A, 1, 24, "c63364"));
        assertThat(rdata(r, Section.ANSWER)).containsExactly("127.0.2.1");
        ClientSubnetOption e = ecs(r);
        assertThat(e.getFamily()).isEqualTo(1);
        assertThat(e.getSourcePrefixLength()).isEqualTo(24);
        assertThat(e.getScopePrefixLength()).isEqualTo(24);
        assertThat(e.getAddress().getHostAddress()).isEqualTo("198.51.100.0");
        assertThat(r.getHeader().getFlag(org.xbill.DNS.Flags.AA)).isTrue();
    }

    @Test
    void theScopeExcludesAMoreSpecificNetworkAndNeverExceedsTheSource() throws Exception {
        // 198.51.7.0/24 matches 198.51.0.0/16 (americas); 198.51.100.0/24 shares 17 bits with it
        Message r = ask(ecsQuery("www.example.test.", Type.A, 1, 24, "c63307"));
        assertThat(rdata(r, Section.ANSWER)).containsExactly("127.0.3.1");
        assertThat(ecs(r).getScopePrefixLength()).isEqualTo(18);
        // a /16 source: the answer is americas', the scope no longer than what was sent
        r = ask(ecsQuery("www.example.test.", Type.A, 1, 16, "c633"));
        assertThat(rdata(r, Section.ANSWER)).containsExactly("127.0.3.1");
        assertThat(ecs(r).getScopePrefixLength()).isEqualTo(16);
    }

    @Test
    void theDatabaseDecidesOtherwiseWithItsNetworkAsTheScope() throws Exception {
        Message fr = ask(ecsQuery("www.example.test.", Type.A, 1, 24, "cb0071"));
        assertThat(rdata(fr, Section.ANSWER)).containsExactly("127.0.1.1");
        assertThat(ecs(fr).getScopePrefixLength()).isEqualTo(24);
        Message jp = ask(ecsQuery("www.example.test.", Type.AAAA, 1, 24, "c00002"));
        assertThat(rdata(jp, Section.ANSWER)).containsExactly("2001:db8::2");
        assertThat(ecs(jp).getScopePrefixLength()).isEqualTo(24); // the /25 capped at the source
        Message us = ask(ecsQuery("www.example.test.", Type.A, 2, 56, "20010db8020000"));
        assertThat(rdata(us, Section.ANSWER)).containsExactly("127.0.3.1");
        assertThat(ecs(us).getFamily()).isEqualTo(2);
        assertThat(ecs(us).getScopePrefixLength()).isEqualTo(40);
    }

    @Test
    void ipv6NetworksAndIpv4MappedSubnetsAreLocated() throws Exception {
        Message v6 = ask(ecsQuery("www.example.test.", Type.A, 2, 48, "20010db80100"));
        assertThat(rdata(v6, Section.ANSWER)).containsExactly("127.0.2.1");
        assertThat(ecs(v6).getScopePrefixLength()).isEqualTo(48);
        // ::ffff:198.51.100.0/120 is 198.51.100.0/24: apac, scope 24 + 96
        // (dnsjava refuses to read such an option, so the response's is read from its bytes: it
        // is the last thing in the packet, the OPT's only option)
        byte[] mappedQuery =
                ecsQuery("www.example.test.", Type.A, 2, 120, "00000000000000000000ffffc63364");
        byte[] out = QueryProcessor.respond(mappedQuery, Transport.UDP, zone, null).bytes();
        Message mapped = QueryParser.parse(out).query();
        assertThat(rdata(mapped, Section.ANSWER)).containsExactly("127.0.2.1");
        assertThat(HexFormat.of().formatHex(out, out.length - 23, out.length))
                .isEqualTo(
                        "0008" + "0013" + "0002" + "78" + "78" + "00000000000000000000ffffc63364");
    }

    @Test
    void anUnknownLocationGetsEveryServingRegionWithTheScopeOfWhatWasLookedAt() throws Exception {
        Message r = ask(ecsQuery("www.example.test.", Type.A, 1, 24, "7f0000"));
        assertThat(rdata(r, Section.ANSWER)).containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
        // 127.0.0.0 (option data only, as every address here) shares no first bit with any
        // configured network; the test database says nothing
        assertThat(ecs(r).getScopePrefixLength()).isEqualTo(1);
        // source 0: the client asks not to be located
        Message zero = ask(ecsQuery("www.example.test.", Type.A, 1, 0, ""));
        assertThat(rdata(zero, Section.ANSWER)).hasSize(3);
        assertThat(ecs(zero).getScopePrefixLength()).isZero();
    }

    @Test
    void everyOtherAnswerCarriesScopeZeroWithEcsAndNoEcsWithout() throws Exception {
        for (String name : List.of("cdn.example.test.", "nothere.example.test.")) {
            Message r = ask(ecsQuery(name, Type.A, 1, 24, "c63364"));
            ClientSubnetOption e = ecs(r);
            assertThat(e.getScopePrefixLength()).as(name).isZero();
            assertThat(e.getSourcePrefixLength()).isEqualTo(24);
            assertThat(e.getAddress().getHostAddress()).isEqualTo("198.51.100.0");
        }
        Message nodata = ask(ecsQuery("www.example.test.", Type.MX, 1, 24, "c63364"));
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(ecs(nodata).getScopePrefixLength()).isZero();
        Message q = query("www.example.test.", Type.A);
        q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        Message plain = ask(zone, q.toWire(), "198.51.100.9");
        assertThat(rdata(plain, Section.ANSWER)).containsExactly("127.0.2.1");
        assertThat(plain.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET)).isEmpty();
    }

    @Test
    void withoutEcsTheSourceAddressIsTheLocationAndTheCacheNeverLeaksIt() throws Exception {
        QueryProcessor p =
                new QueryProcessor(
                        () -> zone,
                        new ResponseRateLimiter(0, 0, System::nanoTime),
                        new EmbeddedDnsMetrics(
                                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        byte[] q = query("www.example.test.", Type.A).toWire();
        for (int round = 0; round < 3; round++) {
            Message apac = new Message(p.handle(q, Transport.UDP, "198.51.100.9"));
            Message europe = new Message(p.handle(q, Transport.UDP, "203.0.113.9"));
            Message americas = new Message(p.handle(q, Transport.UDP, "198.51.3.3"));
            assertThat(rdata(apac, Section.ANSWER)).containsExactly("127.0.2.1");
            assertThat(rdata(europe, Section.ANSWER)).containsExactly("127.0.1.1");
            assertThat(rdata(americas, Section.ANSWER)).containsExactly("127.0.3.1");
        }
        // and through a CNAME
        Message viaCname =
                new Message(
                        p.handle(
                                query("go.example.test.", Type.A).toWire(),
                                Transport.UDP,
                                "203.0.113.1"));
        assertThat(rdata(viaCname, Section.ANSWER)).contains("127.0.1.1").hasSize(2);
    }

    @Test
    void aRegionOutOfDnsIsSkippedForItsClients() throws Exception {
        ZoneData europeDead = GeoZone.zone(Set.of("europe"), GeoZone.LOCATOR);
        Message r = ask(europeDead, ecsQuery("www.example.test.", Type.A, 1, 24, "cb0071"), null);
        assertThat(rdata(r, Section.ANSWER)).containsExactly("127.0.3.1");
        Message v6 =
                ask(europeDead, ecsQuery("www.example.test.", Type.AAAA, 1, 24, "cb0071"), null);
        assertThat(rdata(v6, Section.ANSWER)).containsExactly("2001:db8::3");
    }

    @Test
    void aStaleRegionLeftOutOfGeoSendsItsContinentToTheNextRegionButStaysInTheRrset()
            throws Exception {
        ZoneData stale = zone.leavingGeo(Set.of("europe"), zone.serial() + 1);
        assertThat(stale.serial()).isEqualTo(zone.serial() + 1);
        // a client in France (203.0.113.0/24, EU): europe is stale, americas is next in its walk
        Message r = ask(stale, ecsQuery("www.example.test.", Type.A, 1, 24, "cb0071"), null);
        assertThat(rdata(r, Section.ANSWER)).containsExactly("127.0.3.1");
        Message v6 = ask(stale, ecsQuery("www.example.test.", Type.AAAA, 1, 24, "cb0071"), null);
        assertThat(rdata(v6, Section.ANSWER)).containsExactly("2001:db8::3");
        // a client whose location is unknown still gets every region in DNS, the stale one too
        Message unknown = ask(stale, query("www.example.test.", Type.A).toWire(), null);
        assertThat(rdata(unknown, Section.ANSWER))
                .containsExactlyInAnyOrder("127.0.1.1", "127.0.2.1", "127.0.3.1");
        // the same snapshot without the stale region: France gets europe again
        ZoneData fresh = stale.leavingGeo(Set.of(), stale.serial() + 1);
        Message back = ask(fresh, ecsQuery("www.example.test.", Type.A, 1, 24, "cb0071"), null);
        assertThat(rdata(back, Section.ANSWER)).containsExactly("127.0.1.1");
    }

    @Test
    void theProviderPassesOverTheRegionsItIsToldToLeaveOutOfGeoUnderANewSerial() throws Exception {
        Topology t = GeoZone.description().topology();
        Vertx vertx = Vertx.vertx();
        EmbeddedDnsProvider p =
                new EmbeddedDnsProvider(
                        Optional.of(GeoZone.settings(t)),
                        ManagedRecords.failOpen(t),
                        vertx,
                        new EmbeddedDnsMetrics(new SimpleMeterRegistry()),
                        new ZoneSerial(java.time.Clock.systemUTC(), Optional.empty()),
                        System::nanoTime,
                        new GeoSetup(t, () -> GeoZone.LOCATOR));
        p.start();
        try {
            assertThat(p.leftOutOfGeo()).contains(Set.of());
            long before = p.zone().serial();
            p.leaveGeo(Set.of("europe"));
            assertThat(p.leftOutOfGeo()).contains(Set.of("europe"));
            assertThat(p.zone().serial()).isGreaterThan(before);
            Message r = ask(p.zone(), ecsQuery("www.example.test.", Type.A, 1, 24, "cb0071"), null);
            assertThat(rdata(r, Section.ANSWER)).containsExactly("127.0.3.1");
            long after = p.zone().serial();
            p.leaveGeo(Set.of("europe")); // unchanged: the same snapshot
            assertThat(p.zone().serial()).isEqualTo(after);
        } finally {
            p.stop();
            vertx.close();
        }
    }

    @Test
    void aStaleRegionStillAnswersItsContinentWhenNoOtherRegionServes() throws Exception {
        ZoneData othersDead =
                GeoZone.zone(Set.of("apac", "americas"), GeoZone.LOCATOR)
                        .leavingGeo(Set.of("europe"), 7);
        Message r = ask(othersDead, ecsQuery("www.example.test.", Type.A, 1, 24, "cb0071"), null);
        assertThat(rdata(r, Section.ANSWER)).containsExactly("127.0.1.1");
    }

    @Test
    void withoutADatabaseOnlyTheNetworksLocate() throws Exception {
        ZoneData none = GeoZone.zone(Set.of(), GeoLocator.NONE);
        Message fr = ask(none, ecsQuery("www.example.test.", Type.A, 1, 24, "cb0071"), null);
        assertThat(rdata(fr, Section.ANSWER)).hasSize(3);
        Message net = ask(none, ecsQuery("www.example.test.", Type.A, 1, 24, "c63364"), null);
        assertThat(rdata(net, Section.ANSWER)).containsExactly("127.0.2.1");
    }

    @Test
    void malformedClientSubnetsGetFormerrWithTheOpt() throws Exception {
        // bits set beyond the prefix, a prefix longer than the address, an unknown family
        for (byte[] q :
                List.of(
                        ecsQuery("www.example.test.", Type.A, 1, 23, "c63365"),
                        ecsQuery("www.example.test.", Type.A, 1, 33, "c6336401ff"),
                        ecsQuery("www.example.test.", Type.A, 3, 24, "c63364"))) {
            Message r = ask(q);
            assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
            assertThat(r.getOPT()).isNotNull();
            assertThat(r.getSection(Section.ANSWER)).isEmpty();
        }
    }
}
