package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The UDP sockets on the native transport: one per event loop up to one per core, all of them
 * answering, and a port that another socket holds refused rather than shared through SO_REUSEPORT.
 */
class UdpSocketsTest {
    private final Vertx vertx = TestZone.nativeVertx();
    private final List<EmbeddedDnsServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(EmbeddedDnsServer::stop);
        vertx.close();
    }

    private EmbeddedDnsServer start(String address, int port) throws Exception {
        ZoneData zone = TestZone.zone();
        EmbeddedDnsServer s =
                new EmbeddedDnsServer(
                        vertx,
                        List.of(InetAddress.getByName(address)),
                        port,
                        Duration.ofSeconds(5),
                        10,
                        new QueryProcessor(
                                () -> zone,
                                new ResponseRateLimiter(0, 0, System::nanoTime),
                                new EmbeddedDnsMetrics(new SimpleMeterRegistry())));
        servers.add(s);
        s.start(Duration.ofSeconds(10));
        return s;
    }

    @Test
    void eachEventLoopUpToOnePerCoreReadsASocketAndEveryClientIsAnswered() throws Exception {
        EmbeddedDnsServer server = start("127.0.70.91", 0);
        int loops = 0;
        for (EventExecutor ignored : vertx.nettyEventLoopGroup()) {
            loops++;
        }
        assertThat(server.udpSocketsPerAddress())
                .isEqualTo(Math.min(loops, Runtime.getRuntime().availableProcessors()));

        // many source ports: the kernel spreads them over the sockets by their addresses
        for (int c = 0; c < 40; c++) {
            try (DatagramSocket client =
                    new DatagramSocket(new InetSocketAddress("127.0.70.92", 0))) {
                client.setSoTimeout(5000);
                Message q = query("cdn.example.test.", Type.A);
                q.getHeader().setID(1000 + c);
                byte[] wire = q.toWire();
                client.send(
                        new DatagramPacket(
                                wire,
                                wire.length,
                                new InetSocketAddress("127.0.70.91", server.port())));
                byte[] buf = new byte[4096];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                client.receive(p);
                Message answer = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                assertThat(answer.getHeader().getID()).isEqualTo(1000 + c);
                assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
                assertThat(answer.getSection(Section.ANSWER)).hasSize(3);
            }
        }
    }

    @Test
    void aPortAnotherSocketHoldsIsRefused() throws Exception {
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress("127.0.70.93", 0))) {
            assertThatThrownBy(() -> start("127.0.70.93", other.getLocalPort()))
                    .hasMessageContaining("cannot listen on 127.0.70.93 udp");
        }
    }

    @Test
    void aSecondServerDoesNotJoinTheFirstOnesPort() throws Exception {
        EmbeddedDnsServer first = start("127.0.70.94", 0);
        int port = first.port();
        first.stop();
        servers.clear();
        first = start("127.0.70.94", port); // a fixed port, as configured
        assertThat(first.port()).isEqualTo(port);
        assertThatThrownBy(() -> start("127.0.70.94", port))
                .hasMessageContaining("cannot listen on 127.0.70.94 udp");
    }
}
