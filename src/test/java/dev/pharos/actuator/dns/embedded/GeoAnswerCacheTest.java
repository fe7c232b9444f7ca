package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.edns;
import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static dev.pharos.actuator.dns.embedded.AnswererTest.rdata;
import static dev.pharos.actuator.dns.embedded.GeoAnsweringTest.ecsQuery;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The answer cache for geo names (docs/GEO.md "Speed"): responses keyed by the chosen answer, each
 * client's own Client Subnet option and scope written into the stored response, a new snapshot
 * starting afresh. Every response here is also compared byte for byte with the full path.
 */
class GeoAnswerCacheTest {
    private final AtomicReference<ZoneData> zone =
            new AtomicReference<>(GeoZone.zone(Set.of(), GeoZone.LOCATOR));
    private final QueryProcessor processor =
            new QueryProcessor(
                    zone::get,
                    new ResponseRateLimiter(0, 0, System::nanoTime),
                    new EmbeddedDnsMetrics(new SimpleMeterRegistry()));

    /** Asks through the processor (cache) and checks it against the full path for this client. */
    private byte[] raw(byte[] packet, Transport t, String source) throws Exception {
        InetAddress client = source == null ? null : InetAddress.getByName(source);
        byte[] got = processor.handle(packet, t, client);
        byte[] full = QueryProcessor.respond(packet, t, zone.get(), client).bytes();
        assertThat(got).as("cached response equals the full path's").isEqualTo(full);
        return got;
    }

    /**
     * The response, parsed (an IPv4-mapped subnet, which dnsjava refuses to read, is set aside by
     * the server's parser: read such a response's option from its bytes).
     */
    private Message ask(byte[] packet, Transport t, String source) throws Exception {
        return QueryParser.parse(raw(packet, t, source)).query();
    }

    private Message ask(byte[] packet) throws Exception {
        return ask(packet, Transport.UDP, "127.0.0.1");
    }

    private static byte[] www(int family, int source, String hex) {
        return ecsQuery("www.example.test.", Type.A, family, source, hex);
    }

    private static ClientSubnetOption ecs(Message m) {
        List<EDNSOption> o = m.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET);
        return o.isEmpty() ? null : (ClientSubnetOption) o.get(0);
    }

    @Test
    void clientsOfDifferentContinentsNeverGetEachOthersAnswers() throws Exception {
        byte[] france = www(1, 24, "cb0071"); // 203.0.113.0/24: EU -> europe
        byte[] japan = www(1, 25, "c0000200"); // 192.0.2.0/25: AS -> apac
        byte[] us = www(2, 48, "20010db80200"); // 2001:db8:200::/48: NA -> americas
        for (int round = 0; round < 4; round++) {
            assertThat(rdata(ask(france), Section.ANSWER)).containsExactly("127.0.1.1");
            assertThat(rdata(ask(japan), Section.ANSWER)).containsExactly("127.0.2.1");
            assertThat(rdata(ask(us), Section.ANSWER)).containsExactly("127.0.3.1");
        }
        // without the option: by the source address, and the cache keeps them apart as well
        byte[] plain = query("www.example.test.", Type.A).toWire();
        for (int round = 0; round < 3; round++) {
            assertThat(rdata(ask(plain, Transport.UDP, "203.0.113.9"), Section.ANSWER))
                    .containsExactly("127.0.1.1");
            assertThat(rdata(ask(plain, Transport.UDP, "192.0.2.9"), Section.ANSWER))
                    .containsExactly("127.0.2.1");
            assertThat(rdata(ask(plain, Transport.TCP, "::ffff:203.0.113.9"), Section.ANSWER))
                    .containsExactly("127.0.1.1");
            assertThat(rdata(ask(plain, Transport.UDP, "127.0.0.1"), Section.ANSWER))
                    .as("unknown: every serving region")
                    .containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
        }
    }

    @Test
    void clientsWithTheSameAnswerShareOneStoredResponseEachWithItsOwnScope() throws Exception {
        // a configured network (scope 24) and a country of the database (scope 25), both apac
        ask(www(1, 24, "c63364"));
        AnswerCache cache = processor.cache();
        assertThat(cache.responses()).isEqualTo(1);
        for (int round = 0; round < 2; round++) {
            Message net = ask(www(1, 24, "c63364"));
            Message japan = ask(www(1, 25, "c0000200"));
            Message japanHost = ask(www(1, 32, "c0000209")); // the same /25, asked as a host
            assertThat(rdata(net, Section.ANSWER)).containsExactly("127.0.2.1");
            assertThat(rdata(japan, Section.ANSWER)).containsExactly("127.0.2.1");
            assertThat(rdata(japanHost, Section.ANSWER)).containsExactly("127.0.2.1");
            assertThat(ecs(net).getScopePrefixLength()).isEqualTo(24);
            assertThat(ecs(net).getAddress().getHostAddress()).isEqualTo("198.51.100.0");
            assertThat(ecs(japan).getScopePrefixLength()).isEqualTo(25);
            assertThat(ecs(japan).getSourcePrefixLength()).isEqualTo(25);
            assertThat(ecs(japan).getAddress().getHostAddress()).isEqualTo("192.0.2.0");
            assertThat(ecs(japanHost).getScopePrefixLength()).isEqualTo(25);
            assertThat(ecs(japanHost).getSourcePrefixLength()).isEqualTo(32);
            assertThat(ecs(japanHost).getAddress().getHostAddress()).isEqualTo("192.0.2.9");
        }
        // /24 and /25 carry 3 and 4 octets (two keys, one response each); /32 is 4 as well
        assertThat(cache.responses()).isEqualTo(2);
        ask(www(1, 24, "cb0071")); // europe: another RRset
        assertThat(cache.responses()).isEqualTo(3);
        assertThat(processor.cache()).isSameAs(cache);
    }

    @Test
    void theScopeIsEachClientsAndNamesThatDoNotDependOnTheClientGetScopeZero() throws Exception {
        List<byte[]> queries = new ArrayList<>();
        for (String name : List.of("www", "cdn", "nothere", "go")) {
            for (int type : new int[] {Type.A, Type.AAAA, Type.TXT}) {
                String q = name + ".example.test.";
                queries.add(ecsQuery(q, type, 1, 24, "cb0071"));
                queries.add(ecsQuery(q, type, 1, 24, "c63364"));
                queries.add(ecsQuery(q, type, 1, 20, "c63360"));
                queries.add(ecsQuery(q, type, 1, 0, ""));
                queries.add(ecsQuery(q, type, 2, 56, "20010db8010000"));
                queries.add(ecsQuery(q, type, 2, 120, "00000000000000000000ffffcb0071"));
                queries.add(edns(query(q, type), 1232, 0, 0).toWire());
            }
        }
        for (int round = 0; round < 3; round++) {
            for (Transport t : Transport.values()) {
                for (byte[] q : queries) {
                    q[1]++; // another ID each time
                    raw(q, t, "198.51.100.3");
                }
            }
        }
        Message cdn = ask(ecsQuery("cdn.example.test.", Type.A, 1, 24, "cb0071"));
        assertThat(ecs(cdn).getScopePrefixLength()).isZero();
        assertThat(ecs(cdn).getAddress().getHostAddress()).isEqualTo("203.0.113.0");
        for (String hex : List.of("cb0071", "c63364")) {
            byte[] q =
                    ecsQuery("www.example.test.", Type.A, 2, 120, "00000000000000000000ffff" + hex);
            raw(q, Transport.UDP, null);
            byte[] out = raw(q, Transport.UDP, null);
            // europe's database network is a /24, apac's configured network too: scope 24 + 96
            assertThat(HexFormat.of().formatHex(out, out.length - 23, out.length))
                    .isEqualTo("0008001300027878" + "00000000000000000000ffff" + hex);
            assertThat(rdata(QueryParser.parse(out).query(), Section.ANSWER))
                    .containsExactly(hex.equals("cb0071") ? "127.0.1.1" : "127.0.2.1");
        }
        Message v6 = ask(ecsQuery("www.example.test.", Type.AAAA, 2, 56, "20010db8010000"));
        assertThat(rdata(v6, Section.ANSWER)).containsExactly("2001:db8::2");
        assertThat(ecs(v6).getScopePrefixLength()).isEqualTo(48);
    }

    @Test
    void aRegionChangeStartsAfreshAndItsClientsMoveAtOnce() throws Exception {
        byte[] france = www(1, 24, "cb0071");
        byte[] japan = www(1, 25, "c0000200");
        assertThat(rdata(ask(france), Section.ANSWER)).containsExactly("127.0.1.1");
        assertThat(rdata(ask(france), Section.ANSWER)).containsExactly("127.0.1.1");
        assertThat(rdata(ask(japan), Section.ANSWER)).containsExactly("127.0.2.1");
        AnswerCache before = processor.cache();
        assertThat(before.responses()).isEqualTo(2);

        zone.set(GeoZone.zone(Set.of("europe"), GeoZone.LOCATOR));
        for (int round = 0; round < 2; round++) {
            assertThat(rdata(ask(france), Section.ANSWER)).containsExactly("127.0.3.1");
            assertThat(rdata(ask(japan), Section.ANSWER)).containsExactly("127.0.2.1");
        }
        assertThat(processor.cache()).isNotSameAs(before);

        // and back, also when only the regions left out of geo answers change
        zone.set(GeoZone.zone(Set.of(), GeoZone.LOCATOR));
        assertThat(rdata(ask(france), Section.ANSWER)).containsExactly("127.0.1.1");
        zone.set(zone.get().leavingGeo(Set.of("europe"), zone.get().serial() + 1));
        assertThat(rdata(ask(france), Section.ANSWER)).containsExactly("127.0.3.1");
    }

    @Test
    void onlyAWellFormedClientSubnetAloneTakesTheCachedPath() throws Exception {
        assertThat(AnswerCache.key(www(1, 24, "cb0071"), false)).isNotNull();
        assertThat(AnswerCache.key(www(1, 23, "cb0071"), false))
                .as("bits beyond the prefix")
                .isNull();
        assertThat(AnswerCache.key(www(1, 24, "cb00"), false)).as("too few octets").isNull();
        assertThat(AnswerCache.key(www(3, 8, "cb"), false)).as("unknown family").isNull();
        Message cookie = query("www.example.test.", Type.A);
        cookie.addRecord(
                new org.xbill.DNS.OPTRecord(
                        1232, 0, 0, 0, new org.xbill.DNS.CookieOption(new byte[8])),
                Section.ADDITIONAL);
        assertThat(AnswerCache.key(cookie.toWire(), false)).isNull();
        // and the malformed ones still get FORMERR
        assertThat(ask(www(1, 23, "cb0071")).getRcode()).isEqualTo(org.xbill.DNS.Rcode.FORMERR);
    }
}
