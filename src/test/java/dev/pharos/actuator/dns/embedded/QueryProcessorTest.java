package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.edns;
import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The packet path without sockets: answers, the answer cache, malformed packets, metrics. */
class QueryProcessorTest {
    private final AtomicReference<ZoneData> zone = new AtomicReference<>(TestZone.zone());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final QueryProcessor processor =
            new QueryProcessor(
                    zone::get,
                    new ResponseRateLimiter(0, 2, System::nanoTime),
                    new EmbeddedDnsMetrics(registry));

    private double count(String transport, String rcode) {
        return registry.get("pharos_dns_queries_total")
                .tags("transport", transport, "rcode", rcode)
                .counter()
                .count();
    }

    /** What the full path (parse, answer, render) gives, to compare the cached path with. */
    private byte[] uncached(byte[] packet, Transport t) {
        return QueryProcessor.respond(packet, t, zone.get()).bytes();
    }

    @Test
    void cachedAnswersAreByteForByteWhatTheFullPathRenders() throws Exception {
        List<Message> queries =
                List.of(
                        query("cdn.example.test.", Type.A),
                        query("CDN.example.TEST.", Type.A),
                        edns(query("cDn.Example.Test.", Type.A), 4096, 0, 0),
                        edns(query("cdn.example.test.", Type.A), 4096, 0, ExtendedFlags.DO),
                        edns(query("cdn.example.test.", Type.A), 4096, 1, 0),
                        query("nothere.EXAMPLE.test.", Type.A),
                        query("Chain1.example.test.", Type.A),
                        query("big.example.test.", Type.TXT),
                        edns(query("big.example.test.", Type.TXT), 1232, 0, 0),
                        edns(query("big.example.test.", Type.TXT), 700, 0, 0),
                        query("example.test.", Type.NS),
                        query("example.com.", Type.A));
        for (Transport t : Transport.values()) {
            for (int round = 0; round < 3; round++) {
                for (Message q : queries) {
                    q.getHeader().setID((q.getHeader().getID() + 7919) & 0xFFFF);
                    if (round == 1) {
                        q.getHeader().setFlag(Flags.RD);
                    }
                    byte[] packet = q.toWire();
                    assertThat(processor.handle(packet, t, "127.0.0.1"))
                            .as(t + " " + q.getQuestion() + " round " + round)
                            .isEqualTo(uncached(packet, t));
                }
            }
        }
        assertThat(count("udp", "noerror")).isGreaterThan(0);
        assertThat(count("tcp", "nxdomain")).isEqualTo(3);
        assertThat(count("udp", "badvers")).isEqualTo(3);
    }

    @Test
    void aNewSnapshotIsServedFromTheNextQueryOn() throws Exception {
        byte[] soa = query("example.test.", Type.SOA).toWire();
        long before = serialOf(processor.handle(soa, Transport.UDP, "127.0.0.1"));
        zone.set(zone.get().with(zone.get().managed(), before + 1));
        assertThat(serialOf(processor.handle(soa, Transport.UDP, "127.0.0.1")))
                .isEqualTo(before + 1);
    }

    private static long serialOf(byte[] response) throws Exception {
        return ((org.xbill.DNS.SOARecord) new Message(response).getSection(Section.ANSWER).get(0))
                .getSerial();
    }

    @Test
    void malformedPacketsGetFormerrOrNothingAndAreCounted() {
        byte[] pointerLoop = {1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};
        byte[] out = processor.handle(pointerLoop, Transport.UDP, "127.0.0.1");
        assertThat(out[3] & 0x0F).isEqualTo(Rcode.FORMERR);
        assertThat(processor.handle(new byte[5], Transport.UDP, "127.0.0.1")).isNull();
        byte[] response = query("cdn.example.test.", Type.A).toWire();
        response[2] |= (byte) 0x80;
        assertThat(processor.handle(response, Transport.UDP, "127.0.0.1")).isNull();
        assertThat(count("udp", "formerr")).isEqualTo(1);
        assertThat(count("udp", "dropped")).isEqualTo(2);
    }

    @Test
    void anIxfrOverUdpIsRefusedWithItsQuestion() throws Exception {
        Message ixfr = query("example.test.", Type.IXFR);
        ixfr.addRecord(
                Answerer.answer(query("example.test.", Type.SOA), zone.get())
                        .getSection(Section.ANSWER)
                        .get(0),
                Section.AUTHORITY);
        Message r = new Message(processor.handle(ixfr.toWire(), Transport.UDP, "127.0.0.1"));
        assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(r.getQuestion()).isEqualTo(ixfr.getQuestion());
        assertThat(count("udp", "refused")).isEqualTo(1);
    }

    @Test
    void rateLimitedResponsesAreDroppedOrSlippedAndCountedButTcpIsNeverLimited() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        QueryProcessor limited =
                new QueryProcessor(
                        zone::get,
                        new ResponseRateLimiter(2, 2, () -> 0L),
                        new EmbeddedDnsMetrics(metrics));
        byte[] q = query("cdn.example.test.", Type.A).toWire();
        int answered = 0;
        int slipped = 0;
        int dropped = 0;
        for (int i = 0; i < 10; i++) {
            byte[] r = limited.handle(q, Transport.UDP, "127.0.90.7");
            if (r == null) {
                dropped++;
            } else if (new Message(r).getHeader().getFlag(Flags.TC)) {
                slipped++;
            } else {
                answered++;
            }
        }
        assertThat(List.of(answered, slipped, dropped)).containsExactly(2, 4, 4);
        for (int i = 0; i < 10; i++) {
            assertThat(new Message(limited.handle(q, Transport.TCP, "127.0.90.7")).getSection(1))
                    .hasSize(3);
        }
        assertThat(
                        metrics.get("pharos_dns_rate_limited_total")
                                .tag("action", "slipped")
                                .counter()
                                .count())
                .isEqualTo(4);
        assertThat(
                        metrics.get("pharos_dns_rate_limited_total")
                                .tag("action", "dropped")
                                .counter()
                                .count())
                .isEqualTo(4);
    }

    @Test
    void queriesThatAreNotSimpleTakeTheFullPath() {
        assertThat(AnswerCache.key(query("cdn.example.test.", Type.A).toWire(), false)).isNotNull();
        Message two = query("cdn.example.test.", Type.A);
        two.addRecord(query("www.example.test.", Type.A).getQuestion(), Section.QUESTION);
        assertThat(AnswerCache.key(two.toWire(), false)).isNull();
        byte[] compressed = {1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};
        assertThat(AnswerCache.key(compressed, false)).isNull();
        byte[] trailing = java.util.Arrays.copyOf(query("cdn.example.test.", Type.A).toWire(), 40);
        assertThat(AnswerCache.key(trailing, false)).isNull();
    }
}
