package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.testing.Bind;
import dev.pharos.testing.Dig;
import dev.pharos.testing.FaultProxy;
import dev.pharos.testing.LoopbackHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 between the journal's apply intent and its outcome: the update to BIND hangs in a proxy
 * when the JVM dies. After a restart the journal says the apply was interrupted, Pharos converges
 * BIND to the right state, and the operator's drain is still in force.
 */
class CrashSafetyIT {
    static final String ADMIN = "crash-test-admin-token";
    Bind bind;
    FaultProxy proxy;
    PharosInstance pharos;
    List<LoopbackHttpServer> regions;

    @AfterEach
    void stop() throws Exception {
        if (pharos != null) {
            pharos.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (bind != null) {
            bind.close();
        }
        if (regions != null) {
            regions.forEach(LoopbackHttpServer::stop);
        }
    }

    @Test
    void aCrashMidApplyIsRecordedAndConvergesOnRestartWithDrainsKept() throws Exception {
        regions =
                List.of(
                        new LoopbackHttpServer("127.0.90.1", "r1").start(),
                        new LoopbackHttpServer("127.0.90.2", "r2").start(),
                        new LoopbackHttpServer("127.0.90.3", "r3").start());
        bind =
                Bind.start(
                        "127.0.0.1",
                        "example.test",
                        "cdn 5 IN A 127.0.90.1\ncdn 5 IN A 127.0.90.2\ncdn 5 IN A 127.0.90.3\n");
        proxy = new FaultProxy("127.0.0.1", bind.address());
        Path dir = Files.createTempDirectory("pharos-crash");
        pharos =
                new PharosInstance(
                        bind.cdnUpdater("vp-crash", regions, proxy.hostPort())
                                .dataDir(dir.resolve("data"))
                                .http("127.0.91.1")
                                .probe("interval", "300ms")
                                .probe("timeout", "200ms")
                                .probe("connect-timeout", "100ms")
                                .probe("recheck", "100ms")
                                .probe("rise", 2)
                                .quorum("exchange-interval", "300ms")
                                .quorum("exchange-timeout", "200ms")
                                .quorum("stale-after", "2s")
                                .quorum("warmup-rounds", 1)
                                .policy("max-removals", 3)
                                // the update that hangs in the proxy must outlive the kill
                                .set("pharos.dns.rfc2136.timeout", "30s")
                                .env("PHAROS_API_ADMIN_TOKEN", ADMIN),
                        dir,
                        List.of("-Xmx256m"));
        pharos.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> pharos.status("/q/health/ready") == 200);

        // an operator drains r3; Pharos removes it from BIND
        HttpResponse<String> drained =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        pharos.url() + "/api/v1/regions/r3/drain"))
                                        .header("Authorization", "Bearer " + ADMIN)
                                        .header("Content-Type", "application/json")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        "{\"reason\":\"crash test\",\"duration\":\"1h\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(drained.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                Dig.query(bind.address(), "cdn.example.test", "A")
                                        .equals(Set.of("127.0.90.1", "127.0.90.2")));

        // the next update hangs in the proxy; r1 dies; kill -9 once the intent is journaled
        Path journal = dir.resolve("data/journal.jsonl");
        long intentsBefore = count(journal, "APPLY_INTENT");
        proxy.hold(true);
        regions.get(0).stop();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> count(journal, "APPLY_INTENT") > intentsBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.held() > 0);
        long okBefore = count(journal, "APPLY_OK");
        pharos.kill();
        assertThat(count(journal, "APPLY_OK")).isEqualTo(okBefore);
        proxy.hold(false);
        assertThat(Dig.query(bind.address(), "cdn.example.test", "A"))
                .containsExactlyInAnyOrder("127.0.90.1", "127.0.90.2");

        pharos.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> pharos.status("/q/health/live") == 200);
        assertThat(count(journal, "APPLY_INTERRUPTED")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                Dig.query(bind.address(), "cdn.example.test", "A")
                                        .equals(Set.of("127.0.90.2")));
        JsonNode r3 = pharos.json("/api/v1/regions/r3");
        assertThat(r3.get("state").asText()).isEqualTo("DRAINED");
        assertThat(count(journal, "APPLY_OK")).isGreaterThan(okBefore);
    }

    private static long count(Path journal, String type) {
        try {
            return Files.readAllLines(journal).stream()
                    .filter(l -> l.contains("\"type\":\"" + type + "\""))
                    .count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
