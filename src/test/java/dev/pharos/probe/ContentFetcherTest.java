package dev.pharos.probe;

import static dev.pharos.probe.RawServer.readHead;
import static dev.pharos.probe.RawServer.write;
import static dev.pharos.probe.TestTargets.await;
import static dev.pharos.probe.TestTargets.http;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Content fetches over the probers' HTTP exchange: status, ETag, length, SHA-256, body limit. */
class ContentFetcherTest {
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");

    private Vertx vertx;
    private Probers probers;
    private RawServer server;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        probers = new Probers(vertx, Clock.fixed(NOW, ZoneOffset.UTC), Optional.empty());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        await(probers.close());
        await(vertx.close());
    }

    private ContentFetch fetch(String path, int maxBody) throws Exception {
        return await(
                probers.content()
                        .fetch(
                                http().host("cdn.test").target(server.address(), server.port()),
                                path,
                                maxBody));
    }

    @Test
    void aManifestIsReadWholeWithItsEtagLengthAndDigest() throws Exception {
        String manifest = "<repomd>" + "x".repeat(100_000) + "</repomd>";
        CompletableFuture<String> request = new CompletableFuture<>();
        server =
                RawServer.start(
                        "127.0.51.1",
                        s -> {
                            request.complete(readHead(s));
                            write(
                                    s,
                                    "HTTP/1.1 200 OK\r\nETag: \"v42\"\r\nContent-Length: "
                                            + manifest.length()
                                            + "\r\n\r\n"
                                            + manifest);
                        });

        ContentFetch f = fetch("/repodata/repomd.xml", 1 << 20);

        assertThat(f.result().success()).as(f.result().detail()).isTrue();
        assertThat(f.found()).isTrue();
        assertThat(f.etag()).contains("\"v42\"");
        assertThat(f.contentLength()).contains((long) manifest.length());
        assertThat(f.sha256())
                .contains(
                        HexFormat.of()
                                .formatHex(
                                        MessageDigest.getInstance("SHA-256")
                                                .digest(
                                                        manifest.getBytes(
                                                                StandardCharsets.UTF_8))));
        assertThat(f.text().orElseThrow()).hasSize(ContentFetch.TEXT_LIMIT).startsWith("<repomd>");
        assertThat(f.result().timings().firstByteMicros()).isGreaterThanOrEqualTo(0);
        assertThat(request.get(5, TimeUnit.SECONDS))
                .startsWith("GET /repodata/repomd.xml HTTP/1.1\r\nHost: cdn.test\r\n");
    }

    @Test
    void aMissingFileIsAFetchThatFoundNothing() throws Exception {
        server =
                RawServer.start(
                        "127.0.51.2",
                        s -> {
                            readHead(s);
                            write(s, RawServer.response(404, "Not Found", "no such file"));
                        });

        ContentFetch f = fetch("/Archive-Update-in-Progress", 1024);

        assertThat(f.result().success()).isTrue();
        assertThat(f.status()).contains(404);
        assertThat(f.found()).isFalse();
        assertThat(f.sha256()).isEmpty();
    }

    @Test
    void aBodyBeyondTheLimitFailsTheFetch() throws Exception {
        server =
                RawServer.start(
                        "127.0.51.3",
                        s -> {
                            readHead(s);
                            write(s, RawServer.response(200, "OK", "1700000000 and more text"));
                        });

        ContentFetch f = fetch("/trace", 10);

        assertThat(f.result().success()).isFalse();
        assertThat(f.result().reason()).contains(FailureReason.BODY);
        assertThat(f.result().detail()).isEqualTo("body larger than the limit of 10 bytes");
    }

    @Test
    void aRefusedConnectionHasTheProbeReason() throws Exception {
        int closed = RawServer.closedPort("127.0.51.4");
        ContentFetch f =
                await(
                        probers.content()
                                .fetch(
                                        http().target(InetAddress.getByName("127.0.51.4"), closed),
                                        "/trace",
                                        1024));
        assertThat(f.result().reason()).contains(FailureReason.REFUSED);
        assertThat(f.found()).isFalse();
    }
}
