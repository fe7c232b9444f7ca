package dev.pharos.probe;

import static dev.pharos.probe.RawServer.readHead;
import static dev.pharos.probe.RawServer.response;
import static dev.pharos.probe.RawServer.write;
import static dev.pharos.probe.TestTargets.await;
import static dev.pharos.probe.TestTargets.http;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpProberTest {
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");

    private Vertx vertx;
    private HttpProber prober;
    private RawServer server;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        prober = new HttpProber(vertx, Clock.fixed(NOW, ZoneOffset.UTC), Optional.empty());
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
    void healthyServerIsSuccessWithTimingsAndAMinimalRequest() throws Exception {
        CompletableFuture<String> request = new CompletableFuture<>();
        server =
                RawServer.start(
                        "127.0.50.1",
                        s -> {
                            request.complete(readHead(s));
                            write(s, response(200, "OK", "healthy"));
                        });

        ProbeResult r = probe(http().path("/health").host("web.test").body("healthy"));

        assertThat(r.success()).as(r.detail()).isTrue();
        assertThat(r.status()).contains(200);
        assertThat(r.detail()).matches("200 OK in \\d+\\.\\d ms");
        assertThat(r.startedAt()).isEqualTo(NOW);
        assertThat(r.certNotAfter()).isEmpty();
        PhaseTimings t = r.timings();
        assertThat(t.connectMicros()).isGreaterThanOrEqualTo(0);
        assertThat(t.tlsMicros()).isEqualTo(PhaseTimings.NOT_REACHED);
        assertThat(t.firstByteMicros()).isGreaterThanOrEqualTo(t.connectMicros());
        assertThat(t.totalMicros()).isGreaterThanOrEqualTo(t.firstByteMicros());
        assertThat(request.get(5, TimeUnit.SECONDS))
                .isEqualTo(
                        "GET /health HTTP/1.1\r\nHost: web.test\r\nUser-Agent: Pharos/0.1\r\n"
                                + "Accept: */*\r\nConnection: close\r\n\r\n");
    }

    @Test
    void unexpectedStatusIsReportedAsStatus() throws Exception {
        server =
                RawServer.start(
                        "127.0.50.2",
                        s -> {
                            readHead(s);
                            write(s, response(503, "Service Unavailable", "down"));
                        });

        ProbeResult r = probe(http());

        assertThat(r.reason()).contains(FailureReason.STATUS);
        assertThat(r.status()).contains(503);
        assertThat(r.detail()).isEqualTo("status 503 (expected 200-399)");
    }

    @Test
    void bodyWithoutTheExpectedTextIsReportedAsBody() throws Exception {
        server =
                RawServer.start(
                        "127.0.50.3",
                        s -> {
                            readHead(s);
                            write(s, response(200, "OK", "degraded"));
                        });

        ProbeResult r = probe(http().body("healthy"));

        assertThat(r.reason()).contains(FailureReason.BODY);
        assertThat(r.status()).contains(200);
        assertThat(r.detail()).isEqualTo("body lacks 'healthy'");
    }

    @Test
    void bodyIsFoundBeyondTheFirstChunkOfAChunkedResponse() throws Exception {
        String filler = "x".repeat(4096);
        server =
                RawServer.start(
                        "127.0.50.4",
                        s -> {
                            readHead(s);
                            write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                            write(s, "1000\r\n" + filler + "\r\n");
                            write(s, "7;note=x\r\nhealthy\r\n");
                            write(s, "0\r\nX-Trailer: yes\r\n\r\n");
                            RawServer.drain(s);
                        });

        // The regex only matches if the chunk framing was stripped from the body.
        ProbeResult r = probe(http().body("healthy").bodyRegex("\\Ax{4096}healthy\\z"));

        assertThat(r.success()).as(r.detail()).isTrue();
    }

    @Test
    void regexIsSearchedForInTheBody() throws Exception {
        server =
                RawServer.start(
                        "127.0.50.5",
                        s -> {
                            readHead(s);
                            write(s, response(200, "OK", "status: ok, version 1.24.3\n"));
                        });

        assertThat(probe(http().bodyRegex("version \\d+\\.\\d+")).success()).isTrue();
        ProbeResult mismatch = probe(http().bodyRegex("version 2\\."));
        assertThat(mismatch.reason()).contains(FailureReason.BODY);
        assertThat(mismatch.detail()).isEqualTo("body does not match /version 2\\./");
    }

    @Test
    void slowServerIsTimedOutAtTheTotalTimeout() throws Exception {
        server =
                RawServer.start(
                        "127.0.50.6",
                        s -> {
                            readHead(s);
                            write(s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
                            for (int i = 0; i < 100; i++) {
                                write(s, ".");
                                Thread.sleep(100); // the point: a body slower than the timeout
                            }
                            write(s, "healthy");
                        });

        // 1.5 s: the status line must come before the timeout, and on a loaded machine the
        // server's thread may start late (at 500 ms the test failed once at a load of 10 or more,
        // a late status line the likely cause); the body still takes 10 s
        ProbeResult r = timed(http().body("healthy").timeout(Duration.ofMillis(1500)), 1500);

        assertThat(r.reason()).contains(FailureReason.TIMEOUT);
        assertThat(r.detail()).isEqualTo("timed out after 1500 ms waiting for the body");
        assertThat(r.status()).contains(200);
    }

    @Test
    void serverThatNeverAnswersIsTimedOut() throws Exception {
        server =
                RawServer.start(
                        "127.0.50.7",
                        s -> {
                            readHead(s);
                            RawServer.drain(s);
                        });

        ProbeResult r = timed(http().timeout(Duration.ofMillis(400)), 400);

        assertThat(r.reason()).contains(FailureReason.TIMEOUT);
        assertThat(r.detail()).isEqualTo("timed out after 400 ms waiting for the status line");
        assertThat(r.timings().connectMicros()).isGreaterThanOrEqualTo(0);
        assertThat(r.timings().firstByteMicros()).isEqualTo(PhaseTimings.NOT_REACHED);
    }

    @Test
    void aShorterTimeoutGivenForOneProbeEndsItThen() throws Exception {
        server =
                RawServer.start(
                        "127.0.50.7",
                        s -> {
                            readHead(s);
                            RawServer.drain(s);
                        });
        TestTargets.Spec spec = http().timeout(Duration.ofMillis(5000));
        long start = System.nanoTime();
        ProbeResult r =
                await(
                        prober.probe(
                                spec.target(server.address(), server.port()),
                                Duration.ofMillis(150)));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.reason()).contains(FailureReason.TIMEOUT);
        assertThat(r.detail()).isEqualTo("timed out after 150 ms waiting for the status line");
        assertThat(elapsedMillis).isBetween(100L, 4_000L);
    }

    /** Probes and checks it ended at roughly the timeout: not early, not after 30 s. */
    private ProbeResult timed(TestTargets.Spec spec, long timeoutMillis) throws Exception {
        long start = System.nanoTime();
        ProbeResult r = probe(spec);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMillis).isBetween(timeoutMillis - 50, timeoutMillis + 2_000);
        assertThat(r.timings().totalMicros() / 1000)
                .isBetween(timeoutMillis - 50, timeoutMillis + 2_000);
        return r;
    }

    @Test
    void refusedConnectionIsReportedAsRefused() throws Exception {
        InetAddress address = InetAddress.getByAddress(RawServer.toBytes("127.0.50.8"));
        int port = RawServer.closedPort("127.0.50.8");

        ProbeResult r = await(prober.probe(http().target(address, port)));

        assertThat(r.reason()).contains(FailureReason.REFUSED);
        assertThat(r.detail()).isEqualTo("connection refused");
        assertThat(r.timings().connectMicros()).isEqualTo(PhaseTimings.NOT_REACHED);
    }

    @Test
    void resetInTheMiddleOfTheHeadersIsReportedAsReset() throws Exception {
        server =
                RawServer.start(
                        "127.0.50.9",
                        s -> {
                            readHead(s);
                            write(s, "HTTP/1.1 200 OK\r\nContent-Le");
                            s.setSoLinger(true, 0);
                            s.close();
                        });

        ProbeResult r = probe(http());

        assertThat(r.reason()).as(r.detail()).contains(FailureReason.RESET);
    }

    @Test
    void closeBeforeTheEndOfAContentLengthBodyIsReportedAsReset() throws Exception {
        server =
                RawServer.start(
                        "127.0.50.10",
                        s -> {
                            readHead(s);
                            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
                        });

        ProbeResult r = probe(http().body("healthy"));

        assertThat(r.reason()).contains(FailureReason.RESET);
        assertThat(r.detail()).isEqualTo("connection closed before the end of the body");
    }

    @Test
    void redirectIsNotFollowedByDefault() throws Exception {
        server = RawServer.start("127.0.50.11", HttpProberTest::redirecting);

        ProbeResult r = probe(http().path("/old").expectStatus("200-399"));

        assertThat(r.success()).as(r.detail()).isTrue();
        assertThat(r.status()).contains(302);
        assertThat(server.remotes()).hasSize(1);
    }

    @Test
    void redirectIsFollowedOnANewConnectionWhenEnabled() throws Exception {
        server = RawServer.start("127.0.50.12", HttpProberTest::redirecting);

        ProbeResult r = probe(http().path("/old").expectStatus("200").followRedirects());

        assertThat(r.success()).as(r.detail()).isTrue();
        assertThat(r.status()).contains(200);
        assertThat(r.detail()).endsWith("after 1 redirect");
        assertThat(server.remotes()).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void redirectToAnotherHostIsNotFollowed() throws Exception {
        server =
                RawServer.start(
                        "127.0.50.13",
                        s -> {
                            readHead(s);
                            write(
                                    s,
                                    "HTTP/1.1 301 Moved\r\nLocation: http://elsewhere.test/\r\n"
                                            + "Content-Length: 0\r\n\r\n");
                        });

        ProbeResult r = probe(http().followRedirects());

        assertThat(r.reason()).contains(FailureReason.OTHER);
        assertThat(r.detail()).isEqualTo("redirect to another host (http://elsewhere.test/)");
    }

    private static void redirecting(Socket s) throws Exception {
        String head = readHead(s);
        if (head.startsWith("GET /old ")) {
            write(s, "HTTP/1.1 302 Found\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n");
        } else if (head.startsWith("GET /new ")) {
            write(s, response(200, "OK", "healthy"));
        } else {
            write(s, response(404, "Not Found", ""));
        }
    }
}
