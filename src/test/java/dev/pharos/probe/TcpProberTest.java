package dev.pharos.probe;

import static dev.pharos.probe.RawServer.write;
import static dev.pharos.probe.TestTargets.await;
import static dev.pharos.probe.TestTargets.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.Tools;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProberTest {
    private Vertx vertx;
    private TcpProber prober;
    private RawServer server;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        prober = new TcpProber(vertx, Clock.systemUTC(), Optional.empty());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        await(prober.close());
        await(vertx.close());
    }

    private ProbeResult probe(TestTargets.Spec spec) throws Exception {
        return await(prober.probe(spec.target(server.address(), server.port())));
    }

    @Test
    void acceptedConnectionIsSuccessWithoutSendOrExpect() throws Exception {
        server = RawServer.start("127.0.52.1", RawServer::drain);

        ProbeResult r = probe(tcp());

        assertThat(r.success()).as(r.detail()).isTrue();
        assertThat(r.detail()).startsWith("connected in ");
        assertThat(r.timings().connectMicros()).isGreaterThanOrEqualTo(0);
        assertThat(r.timings().firstByteMicros()).isEqualTo(PhaseTimings.NOT_REACHED);
        assertThat(r.status()).isEmpty();
    }

    @Test
    void expectedAnswerToWhatWasSentIsSuccess() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        server =
                RawServer.start(
                        "127.0.52.2",
                        s -> {
                            received.complete(readLine(s));
                            write(s, "+PONG\r\n");
                            RawServer.drain(s);
                        });

        ProbeResult r = probe(tcp().send("PING\r\n").expect("+PONG"));

        assertThat(r.success()).as(r.detail()).isTrue();
        assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo("PING");
        assertThat(r.timings().firstByteMicros())
                .isGreaterThanOrEqualTo(r.timings().connectMicros());
    }

    @Test
    void otherAnswerThenCloseIsReportedAsBody() throws Exception {
        server =
                RawServer.start(
                        "127.0.52.3",
                        s -> {
                            readLine(s);
                            write(s, "-ERR unknown command\r\n");
                        });

        ProbeResult r = probe(tcp().send("PING\r\n").expect("+PONG"));

        assertThat(r.reason()).contains(FailureReason.BODY);
        assertThat(r.detail()).isEqualTo("answer lacks '+PONG'");
    }

    @Test
    void silentServerIsTimedOutWhileWaitingForTheExpectedAnswer() throws Exception {
        server = RawServer.start("127.0.52.4", RawServer::drain);

        long start = System.nanoTime();
        ProbeResult r = probe(tcp().expect("220 ").timeout(Duration.ofMillis(300)));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.reason()).contains(FailureReason.TIMEOUT);
        assertThat(r.detail()).isEqualTo("timed out after 300 ms waiting for '220 '");
        assertThat(elapsedMillis).isBetween(250L, 2_300L);
    }

    @Test
    void refusedConnectionIsReportedAsRefused() throws Exception {
        InetAddress address = InetAddress.getByAddress(RawServer.toBytes("127.0.52.5"));
        int port = RawServer.closedPort("127.0.52.5");

        ProbeResult r = await(prober.probe(tcp().target(address, port)));

        assertThat(r.reason()).contains(FailureReason.REFUSED);
    }

    @Test
    void connectThatIsNeverAnsweredTimesOutAtTheConnectTimeout() throws Exception {
        // A listener that never accepts, with its accept queue full: the kernel drops further
        // SYNs, so a connect hangs as it would towards a dead host, on loopback.
        InetAddress address = InetAddress.getByAddress(RawServer.toBytes("127.0.52.6"));
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(address, 0), 1);
            boolean full = false;
            for (int i = 0; i < 16 && !full; i++) {
                Socket filler = new Socket();
                fillers.add(filler);
                try {
                    filler.connect(listener.getLocalSocketAddress(), 200);
                } catch (SocketTimeoutException e) {
                    full = true;
                }
            }
            Tools.need(full, "a kernel that drops SYNs while the accept queue is full (Linux)");

            ProbeResult r =
                    await(
                            prober.probe(
                                    tcp().connectTimeout(Duration.ofMillis(300))
                                            .target(address, listener.getLocalPort())));

            assertThat(r.reason()).as(r.detail()).contains(FailureReason.TIMEOUT);
            assertThat(r.detail()).isEqualTo("connect timed out after 300 ms");
            assertThat(r.timings().totalMicros() / 1000).isBetween(250L, 2_300L);
        } finally {
            for (Socket f : fillers) {
                f.close();
            }
        }
    }

    private static String readLine(Socket s) throws Exception {
        return new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))
                .readLine();
    }
}
