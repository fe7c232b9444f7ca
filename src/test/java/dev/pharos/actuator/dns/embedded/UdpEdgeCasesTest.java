package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Over the network, on UDP: malformed packets, other opcodes, packets that are responses, and
 * response rate limiting seen by one client sending a burst.
 */
class UdpEdgeCasesTest {
    private final Vertx vertx = TestZone.nativeVertx();
    private EmbeddedDnsProvider provider;

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.stop();
        }
        vertx.close();
    }

    private DatagramSocket client(String from, int timeoutMillis) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(from, 0));
        s.setSoTimeout(timeoutMillis);
        return s;
    }

    private void send(DatagramSocket s, String to, byte[] packet) throws IOException {
        s.send(
                new DatagramPacket(
                        packet, packet.length, new InetSocketAddress(to, provider.port())));
    }

    private static byte[] receive(DatagramSocket s) throws IOException {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return java.util.Arrays.copyOf(buf, p.getLength());
    }

    @Test
    void malformedPacketsGetFormerrResponsesGetNothingAndOtherOpcodesNotimp() throws Exception {
        provider = TestZone.start(vertx, TestZone.listen("127.0.70.21"));
        try (DatagramSocket s = client("127.0.70.51", 1000)) {
            byte[] pointerLoop = {7, 7, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};
            send(s, "127.0.70.21", pointerLoop);
            byte[] formerr = receive(s);
            assertThat(formerr).isNotNull();
            assertThat(formerr[3] & 0x0F).isEqualTo(Rcode.FORMERR);
            assertThat(formerr[0]).isEqualTo((byte) 7);

            byte[] response = query("cdn.example.test.", Type.A).toWire();
            response[2] |= (byte) 0x80;
            send(s, "127.0.70.21", response);
            send(s, "127.0.70.21", new byte[] {1, 2, 3});
            Message notify = query("example.test.", Type.SOA);
            notify.getHeader().setOpcode(Opcode.NOTIFY);
            send(s, "127.0.70.21", notify.toWire());
            Message notimp = new Message(receive(s));
            assertThat(notimp.getHeader().getID())
                    .as("the response and the runt got nothing; the next answer is NOTIFY's")
                    .isEqualTo(notify.getHeader().getID());
            assertThat(notimp.getRcode()).isEqualTo(Rcode.NOTIMP);

            Message q = query("cdn.example.test.", Type.A);
            send(s, "127.0.70.21", q.toWire());
            assertThat(new Message(receive(s)).getSection(Section.ANSWER)).hasSize(3);
        }
    }

    @Test
    void aBurstFromOneClientIsRateLimitedWithSomeResponsesSlippedAndTcpStillAnswers()
            throws Exception {
        provider =
                TestZone.start(
                        vertx,
                        TestZone.listen("127.0.70.22")
                                .andThen(
                                        z ->
                                                z.set("pharos.dns.embedded.rate-limit", 5)
                                                        .set(
                                                                "pharos.dns.embedded.rate-limit-slip",
                                                                2)));
        int sent = 60;
        int answered = 0;
        int slipped = 0;
        try (DatagramSocket s = client("127.0.70.52", 1500)) {
            for (int i = 0; i < sent; i++) {
                Message q = query("cdn.example.test.", Type.A);
                q.getHeader().setID(i);
                send(s, "127.0.70.22", q.toWire());
            }
            for (byte[] r = receive(s); r != null; r = receive(s)) {
                Message m = new Message(r);
                if (m.getHeader().getFlag(Flags.TC)) {
                    assertThat(m.getSection(Section.ANSWER)).isEmpty();
                    assertThat(r.length).as("no amplification").isLessThanOrEqualTo(34);
                    slipped++;
                } else {
                    assertThat(m.getSection(Section.ANSWER)).hasSize(3);
                    answered++;
                }
            }
        }
        int dropped = sent - answered - slipped;
        // 5 tokens to start, a few more refill while the burst is sent
        assertThat(answered).isBetween(5, 15);
        assertThat(slipped).isGreaterThanOrEqualTo(20);
        assertThat(dropped).isGreaterThanOrEqualTo(20);

        // a client in another /24 is not affected, and TCP is never limited
        try (DatagramSocket other = client("127.0.71.52", 1500)) {
            send(other, "127.0.70.22", query("cdn.example.test.", Type.A).toWire());
            assertThat(receive(other)).isNotNull();
        }
        Message viaTcp =
                ResolverConformanceTest.resolver("tcp", "127.0.70.22", provider.port(), 0)
                        .send(query("cdn.example.test.", Type.A));
        assertThat(viaTcp.getSection(Section.ANSWER)).hasSize(3);
    }
}
