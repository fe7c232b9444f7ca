package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static dev.pharos.actuator.dns.embedded.AnswererTest.rdata;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * 100,000 hostile UDP packets (and some over TCP) against the running server, with a valid query
 * after every hundred that must get its correct answer, and a check of every behaviour at the end.
 * Every response the server sends to the fuzzer must itself be a well-formed DNS response, and no
 * packet may reach the server's last-resort handler (SERVFAIL). The seed is printed; set
 * -Dpharos.fuzz.seed=N to replay a run.
 */
class FuzzTest {
    private static final int PACKETS = 100_000;
    private static final int VALID_EVERY = 100;
    private static final String SERVER = "127.0.70.41";

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private EmbeddedDnsProvider provider;

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.stop();
        }
        vertx.close();
    }

    @Test
    void hostilePacketsNeverStopTheServerFromAnsweringCorrectly() throws Exception {
        long seed = Long.getLong("pharos.fuzz.seed", System.nanoTime());
        System.out.println(
                "FuzzTest seed " + seed + " (replay with -Dpharos.fuzz.seed=" + seed + ")");
        provider = TestZone.start(vertx, TestZone.listen(SERVER), registry);
        PacketMutator mutator = new PacketMutator(seed);
        InetSocketAddress server = new InetSocketAddress(SERVER, provider.port());
        Map<PacketMutator.Kind, Integer> sent = new EnumMap<>(PacketMutator.Kind.class);
        AtomicInteger responses = new AtomicInteger();
        AtomicReference<String> badResponse = new AtomicReference<>();

        try (DatagramSocket fuzzer = new DatagramSocket(new InetSocketAddress("127.0.70.42", 0));
                DatagramSocket checker =
                        new DatagramSocket(new InetSocketAddress("127.0.70.43", 0))) {
            fuzzer.setReceiveBufferSize(1 << 20);
            checker.setSoTimeout(2000);
            Thread drain = drain(fuzzer, responses, badResponse);
            for (int i = 1; i <= PACKETS; i++) {
                PacketMutator.Kind kind = mutator.kind();
                byte[] p = mutator.packet(kind);
                fuzzer.send(new DatagramPacket(p, p.length, server));
                sent.merge(kind, 1, Integer::sum);
                if (i % VALID_EVERY == 0) {
                    assertValidQueryAnswered(checker, server, i);
                }
            }
            fuzzTcp(mutator, 2_000);
            assertEveryBehaviourStillHolds(checker, server);
            fuzzer.close();
            drain.join(5000);
        }
        System.out.println("FuzzTest sent " + sent + ", " + responses.get() + " responses");
        assertThat(badResponse.get()).as("a response the server sent to the fuzzer").isNull();
        assertThat(responses.get()).as("the fuzzer got answers too").isGreaterThan(PACKETS / 10);
        assertThat(count("servfail")).as("packets that hit the last-resort handler").isZero();
        assertThat(count("formerr")).isGreaterThan(1000);
        assertThat(count("dropped")).isGreaterThan(1000);
    }

    @Test
    void theAnswerCacheGivesHostilePacketsExactlyWhatTheFullPathGives() throws Exception {
        long seed = Long.getLong("pharos.fuzz.seed", System.nanoTime());
        System.out.println("FuzzTest cache seed " + seed);
        ZoneData zone = TestZone.zone();
        QueryProcessor processor =
                new QueryProcessor(
                        () -> zone,
                        new ResponseRateLimiter(0, 0, System::nanoTime),
                        new EmbeddedDnsMetrics(registry));
        PacketMutator mutator = new PacketMutator(seed);
        for (int i = 0; i < PACKETS; i++) {
            byte[] p = mutator.packet(mutator.kind());
            Transport t = i % 2 == 0 ? Transport.UDP : Transport.TCP;
            byte[] expected = fullPath(p, t, zone);
            // twice: the second time a simple query comes from the cache
            assertThat(processor.handle(p, t, "127.0.0.1")).isEqualTo(expected);
            assertThat(processor.handle(p, t, "127.0.0.1")).isEqualTo(expected);
        }
        assertThat(count("servfail")).isZero();
    }

    /** The response without the cache: parse, answer, render, or FORMERR, or nothing. */
    private static byte[] fullPath(byte[] p, Transport t, ZoneData zone) {
        if (p.length < Wire.HEADER || Wire.isResponse(p)) {
            return null;
        }
        return QueryProcessor.respond(p, t, zone).bytes();
    }

    private double count(String rcode) {
        return registry.find("pharos_dns_queries_total").tag("rcode", rcode).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    /** Reads every response the fuzzer gets; each must parse as a DNS response. */
    private static Thread drain(
            DatagramSocket fuzzer, AtomicInteger responses, AtomicReference<String> bad) {
        Thread t =
                new Thread(
                        () -> {
                            byte[] buf = new byte[65535];
                            while (!fuzzer.isClosed()) {
                                DatagramPacket p = new DatagramPacket(buf, buf.length);
                                try {
                                    fuzzer.receive(p);
                                } catch (IOException e) {
                                    return;
                                }
                                responses.incrementAndGet();
                                try {
                                    Message m =
                                            new Message(
                                                    java.util.Arrays.copyOf(buf, p.getLength()));
                                    if (!m.getHeader().getFlag(org.xbill.DNS.Flags.QR)) {
                                        bad.compareAndSet(null, "QR clear: " + m);
                                    }
                                } catch (IOException e) {
                                    bad.compareAndSet(null, "unparsable: " + e);
                                }
                            }
                        },
                        "fuzz-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The next answer carrying the query's ID. A late answer to an earlier check's query (its first
     * attempt timed out on a loaded machine, a retry was answered) is skipped, as a resolver skips
     * answers whose ID it is not waiting for.
     */
    private static Message answerTo(DatagramSocket s, Message q, byte[] buf) throws IOException {
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            Message r = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
            if (r.getHeader().getID() == q.getHeader().getID()) {
                return r;
            }
        }
    }

    private static void assertValidQueryAnswered(
            DatagramSocket s, InetSocketAddress server, int after) throws IOException {
        Message q = query("cdn.example.test.", Type.A);
        byte[] wire = q.toWire();
        byte[] buf = new byte[4096];
        // the fuzzer floods the same socket, so a query may be lost in the kernel: retry like a
        // resolver would, but a wrong answer fails at once
        for (int attempt = 0; attempt < 3; attempt++) {
            s.send(new DatagramPacket(wire, wire.length, server));
            Message r;
            try {
                r = answerTo(s, q, buf);
            } catch (SocketTimeoutException e) {
                continue;
            }
            assertThat(rdata(r, Section.ANSWER))
                    .as("after %d packets", after)
                    .containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
            return;
        }
        throw new AssertionError("no answer to a valid query after " + after + " packets");
    }

    /** Hostile frames over TCP: the connection may be closed, the server must not be hurt. */
    private void fuzzTcp(PacketMutator mutator, int frames) throws IOException {
        Socket s = null;
        for (int i = 0; i < frames; i++) {
            if (s == null || s.isClosed()) {
                s = new Socket(SERVER, provider.port());
                s.setSoTimeout(2000);
            }
            byte[] p = mutator.packet(mutator.kind());
            byte[] frame =
                    TcpTransportTest.framed(java.util.Arrays.copyOf(p, Math.min(p.length, 65535)));
            try {
                s.getOutputStream().write(frame);
            } catch (SocketException e) {
                s.close();
            }
        }
        s.close();
        try (Socket fresh = new Socket(SERVER, provider.port())) {
            fresh.setSoTimeout(5000);
            fresh.getOutputStream()
                    .write(TcpTransportTest.framed(query("www.example.test.", Type.A).toWire()));
            Message r = TcpTransportTest.read(new DataInputStream(fresh.getInputStream()));
            assertThat(r.getSection(Section.ANSWER)).hasSize(4);
        }
    }

    private static void assertEveryBehaviourStillHolds(DatagramSocket s, InetSocketAddress server)
            throws IOException {
        Object[][] cases = {
            {"cdn.example.test.", Type.A, Rcode.NOERROR, 3},
            {"nothere.example.test.", Type.A, Rcode.NXDOMAIN, 0},
            {"cdn.example.test.", Type.TXT, Rcode.NOERROR, 0},
            {"example.com.", Type.A, Rcode.REFUSED, 0},
            {"chain1.example.test.", Type.A, Rcode.NOERROR, 6},
            {"example.test.", Type.NS, Rcode.NOERROR, 2},
        };
        byte[] buf = new byte[4096];
        for (Object[] c : cases) {
            Message q = query((String) c[0], (int) c[1]);
            s.send(new DatagramPacket(q.toWire(), q.toWire().length, server));
            Message r = answerTo(s, q, buf);
            assertThat(r.getRcode()).as(c[0] + " rcode").isEqualTo(c[2]);
            assertThat(r.getSection(Section.ANSWER)).as(c[0] + " answer").hasSize((int) c[3]);
        }
    }
}
