package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.testing.Dig;
import dev.pharos.testing.Tools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, run as a newcomer would: {@code deploy/local/demo up}, kill a region,
 * see it leave the DNS answer, revive it, make a region's content stale and {@code sync} it again,
 * {@code down}, {@code up} again with every region answered at once, {@code reset}, and nothing it
 * started is left.
 */
class DemoIT {
    static final Path DEMO = Path.of("deploy/local/demo");
    static final InetSocketAddress VP1 = new InetSocketAddress("127.0.9.1", 5353);
    Path dir;

    private String demo(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", DEMO.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PHAROS_DEMO_DIR", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS))
                .as("demo " + String.join(" ", args) + " finished")
                .isTrue();
        assertThat(p.exitValue()).as("demo " + String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }

    @AfterEach
    void down() throws Exception {
        if (dir != null && Files.isDirectory(dir.resolve("pids"))) {
            demo("down");
        }
    }

    @Test
    void upKillReviveDownLeavesNothingRunning() throws Exception {
        Tools.require("haproxy", "haproxy");
        Tools.require("dig", "bind9-dnsutils");
        Tools.require("rsync", "rsync");
        dir = Files.createTempDirectory("pharos-demo");
        String up = demo("up");
        assertThat(up).contains("dig @127.0.9.1 -p 5353 cdn.example.test");
        Set<String> all = Set.of("127.0.1.1", "127.0.2.1", "127.0.3.1");
        assertThat(Dig.query(VP1, "cdn.example.test", "A")).isEqualTo(all);
        List<Long> pids = pids();
        assertThat(pids).hasSize(12);

        demo("kill", "europe");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                Dig.query(VP1, "cdn.example.test", "A")
                                        .equals(Set.of("127.0.2.1", "127.0.3.1")));
        assertThat(Dig.query(VP1, "europe.example.test", "A")).containsExactly("127.0.3.1");
        assertThat(demo("status")).contains("europe=DEAD");

        demo("revive", "europe");
        // rise (3 probes) and the demo's 10 s hold-down
        await().atMost(Duration.ofSeconds(40))
                .until(() -> Dig.query(VP1, "cdn.example.test", "A").equals(all));

        // stale content (docs/CONTENT.md): apac's web servers serve a two-day-old trace and
        // manifest; a quorum judges it STALE and it turns DEGRADED with the reason, staying in DNS
        // (on-stale: alert); `demo sync` (deploy/sync/pharos-sync) makes it FRESH again
        demo("stale", "apac");
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () -> {
                            JsonNode apac = StatusJson.region(status(), "apac");
                            assertThat(apac.path("content").path("state").asText())
                                    .isEqualTo("STALE");
                            assertThat(apac.path("state").asText()).isEqualTo("DEGRADED");
                            assertThat(apac.path("reason").asText()).startsWith("stale content");
                        });
        assertThat(Dig.query(VP1, "cdn.example.test", "A")).isEqualTo(all);
        assertThat(demo("status")).contains("apac=DEGRADED/content:STALE");
        demo("sync");
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () -> {
                            JsonNode s = status();
                            for (String r : List.of("europe", "apac", "americas")) {
                                JsonNode region = StatusJson.region(s, r);
                                assertThat(region.path("content").path("state").asText())
                                        .as(r)
                                        .isEqualTo("FRESH");
                                assertThat(region.path("state").asText())
                                        .as(r)
                                        .isEqualTo("HEALTHY");
                            }
                        });

        // down stops the vantage points first: they never see the CDN stop, so the next up
        // answers with every region at once, with nothing remembered that holds one back
        demo("down");
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("pid " + pid)
                    .isFalse();
        }
        demo("up");
        assertThat(Dig.query(VP1, "cdn.example.test", "A")).isEqualTo(all);
        assertThat(demo("status")).doesNotContain("DEAD");
        pids = pids();

        // reset: down, and the next up starts from empty state
        demo("reset");
        assertThat(dir.resolve("data")).doesNotExist();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("pid " + pid)
                    .isFalse();
        }
        dir = null;
    }

    private static JsonNode status() throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.9.1:8080/api/v1/status"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    private List<Long> pids() throws IOException {
        List<Long> out = new ArrayList<>();
        try (var files = Files.list(dir.resolve("pids"))) {
            for (Path f : files.toList()) {
                out.add(Long.parseLong(Files.readString(f).trim()));
            }
        }
        return out;
    }
}
