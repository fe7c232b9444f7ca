package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole alert loop on loopback, with the real programs: Pharos (the built jar) watches two
 * regions; real Prometheus scrapes it and evaluates {@code alerts/pharos-rules.yml} (with every
 * {@code for} cut to 0s); real Alertmanager (cluster mode off) routes the alerts to Pharos's {@code
 * POST /api/v1/alerts} with the alert token from a file. When the test kills a region's load
 * balancer, Pharos journals the inbound PharosRegionDead alert and the re-probe it caused, and its
 * own signed webhook tells a receiver; when the region returns, the resolution comes back the same
 * way.
 */
class AlertPipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String PHAROS_IP = "127.0.91.1";
    private static final String PROMETHEUS_IP = "127.0.91.2";
    private static final String ALERTMANAGER_IP = "127.0.91.3";
    private static final String RECEIVER_IP = "127.0.91.4";
    private static final String ALERT_TOKEN = "it-alert-" + random();
    private static final String WEBHOOK_SECRET = "it-webhook-" + random();

    private static Path dir;
    private static LoopbackHttpServer europeLb;
    private static LoopbackHttpServer apacLb;
    private static PharosInstance pharos;
    private static Process prometheus;
    private static Process alertmanager;
    private static HttpServer receiver;
    private static final List<Map<String, String>> webhooks = new CopyOnWriteArrayList<>();
    private static int prometheusPort;
    private static int alertmanagerPort;

    private static String random() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @BeforeAll
    static void startEverything() throws Exception {
        Path promBin = Tools.require("prometheus", "prometheus");
        Path amBin = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
        dir = Files.createTempDirectory("pharos-alert-it");
        europeLb = new LoopbackHttpServer("127.0.92.1", "europe-lb").start();
        apacLb = new LoopbackHttpServer("127.0.93.1", "apac-lb").start();
        startReceiver();

        pharos =
                new PharosInstance(
                        pharosConfig(),
                        dir,
                        List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        int pharosPort = pharos.port();
        pharos.start();

        prometheusPort = PharosInstance.freePort(PROMETHEUS_IP);
        alertmanagerPort = PharosInstance.freePort(ALERTMANAGER_IP);
        Files.writeString(dir.resolve("alert-token"), ALERT_TOKEN);
        Files.writeString(dir.resolve("alertmanager.yml"), alertmanagerConfig(pharosPort));
        Files.writeString(
                dir.resolve("rules.yml"),
                Files.readString(Path.of("alerts/pharos-rules.yml"))
                        .replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 0s"));
        // Prometheus scrapes the management interface, where the metrics are
        Files.writeString(dir.resolve("prometheus.yml"), prometheusConfig(pharos.managementPort()));
        alertmanager =
                start(
                        "alertmanager",
                        List.of(
                                amBin.toString(),
                                "--config.file=" + dir.resolve("alertmanager.yml"),
                                "--storage.path=" + dir.resolve("am-data"),
                                "--web.listen-address=" + ALERTMANAGER_IP + ":" + alertmanagerPort,
                                "--cluster.listen-address="));
        prometheus =
                start(
                        "prometheus",
                        List.of(
                                promBin.toString(),
                                "--config.file=" + dir.resolve("prometheus.yml"),
                                "--storage.tsdb.path=" + dir.resolve("prom-data"),
                                "--web.listen-address=" + PROMETHEUS_IP + ":" + prometheusPort));

        awaitOrDump(Duration.ofSeconds(60), "Pharos live", pharos::live);
        awaitOrDump(
                Duration.ofSeconds(30),
                "Pharos warm with both regions HEALTHY",
                () -> {
                    JsonNode s = pharos.statusJson();
                    return StatusJson.warm(s)
                            && "HEALTHY".equals(StatusJson.regionState(s, "europe"))
                            && "HEALTHY".equals(StatusJson.regionState(s, "apac"));
                });
        awaitOrDump(
                Duration.ofSeconds(30),
                "Prometheus and Alertmanager ready",
                () ->
                        status(PROMETHEUS_IP, prometheusPort, "/-/ready") == 200
                                && status(ALERTMANAGER_IP, alertmanagerPort, "/-/ready") == 200);
        awaitOrDump(
                Duration.ofSeconds(30),
                "Prometheus scrapes Pharos",
                () -> query("pharos_region_state{state=\"healthy\",region=\"europe\"}") == 1.0);
    }

    private static TestTopology pharosConfig() {
        return TestTopology.node("vp1")
                .http(PHAROS_IP)
                .sourceAddress(PHAROS_IP)
                .dataDir(dir.resolve("pharos-data"))
                .probe("interval", "500ms")
                .probe("timeout", "300ms")
                .probe("connect-timeout", "200ms")
                .probe("recheck", "100ms")
                .probe("rise", 2)
                .quorum("warmup-rounds", 1)
                .region("europe", europeLb)
                .region("apac", apacLb)
                .fallbacksInTurn()
                .policy("hold-down", "1s")
                .dns("none")
                .set("pharos.alerts.delivery.first-retry", "200ms")
                .receiver(
                        "ops",
                        "http://" + RECEIVER_IP + ":" + receiver.getAddress().getPort() + "/hook",
                        "${IT_WEBHOOK_SECRET}",
                        "region_state_changed")
                .env("PHAROS_API_ALERT_TOKEN", ALERT_TOKEN)
                .env("IT_WEBHOOK_SECRET", WEBHOOK_SECRET);
    }

    private static String prometheusConfig(int managementPort) {
        return """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: [%s]
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ["%s:%d"]
                scrape_configs:
                  - job_name: pharos
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ["%s:%d"]
                """
                .formatted(
                        dir.resolve("rules.yml"),
                        ALERTMANAGER_IP,
                        alertmanagerPort,
                        PHAROS_IP,
                        managementPort);
    }

    private static String alertmanagerConfig(int pharosPort) {
        return """
                route:
                  receiver: pharos
                  group_by: [alertname, pharos_region, pharos_target]
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: pharos
                    webhook_configs:
                      - url: http://%s:%d/api/v1/alerts
                        send_resolved: true
                        http_config:
                          authorization:
                            type: Bearer
                            credentials_file: %s
                """
                .formatted(PHAROS_IP, pharosPort, dir.resolve("alert-token"));
    }

    private static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(RECEIVER_IP, 0), 50);
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.createContext(
                "/hook",
                ex -> {
                    byte[] body = ex.getRequestBody().readAllBytes();
                    String ts = ex.getRequestHeaders().getFirst("X-Pharos-Timestamp");
                    String sig = ex.getRequestHeaders().getFirst("X-Pharos-Signature");
                    boolean valid = ts != null && sig != null && sig.equals(sign(ts, body));
                    if (valid) {
                        JsonNode n = JSON.readTree(body);
                        webhooks.add(
                                Map.of(
                                        "status", n.get("status").asText(),
                                        "region", n.get("region").asText(),
                                        "state", n.get("data").get("state").asText()));
                    }
                    ex.sendResponseHeaders(valid ? 204 : 401, -1);
                    ex.close();
                });
        receiver.start();
    }

    private static String sign(String ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(
                    new SecretKeySpec(
                            WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Process start(String name, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve(name + ".log").toFile());
        pb.directory(dir.toFile());
        return pb.start();
    }

    @AfterAll
    static void stopEverything() {
        for (Process p : new Process[] {prometheus, alertmanager}) {
            if (p != null) {
                p.destroy();
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (pharos != null) {
            pharos.kill();
        }
        if (receiver != null) {
            receiver.stop(0);
            ((java.util.concurrent.ExecutorService) receiver.getExecutor()).shutdownNow();
        }
        if (europeLb != null) {
            europeLb.stop();
        }
        if (apacLb != null) {
            apacLb.stop();
        }
    }

    @Test
    void aDeadRegionsAlertTravelsThroughPrometheusAndAlertmanagerBackToPharosWhichReprobes() {
        long t0 = System.nanoTime();
        europeLb.stop();

        awaitOrDump(
                Duration.ofSeconds(60),
                "the PharosRegionDead alert journaled as received",
                () -> alertReceived("firing") != null);
        JsonNode alert = alertReceived("firing");
        long firingMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(alert.get("region").asText()).isEqualTo("europe");
        assertThat(alert.get("data").get("labels").get("pharos_region").asText())
                .isEqualTo("europe");
        assertThat(alert.get("data").get("labels").get("severity").asText()).isEqualTo("critical");
        assertThat(alert.get("message").asText())
                .isEqualTo("alert PharosRegionDead firing (region europe)");

        JsonNode reprobe = first("reprobe", e -> e.get("seq").asLong() > alert.get("seq").asLong());
        assertThat(reprobe).as("a re-probe after the alert").isNotNull();
        assertThat(reprobe.get("message").asText())
                .isEqualTo(
                        "re-probing europe/lb/ipv4 from this vantage point: alert PharosRegionDead"
                                + " firing");
        assertThat(webhooks)
                .as("Pharos's own signed webhook told the receiver as well")
                .contains(Map.of("status", "firing", "region", "europe", "state", "DEAD"));

        long t1 = System.nanoTime();
        europeLb.start();
        awaitOrDump(
                Duration.ofSeconds(60),
                "the resolution journaled as received",
                () -> alertReceived("resolved") != null);
        long resolvedMs = (System.nanoTime() - t1) / 1_000_000;
        awaitOrDump(
                Duration.ofSeconds(10),
                "the resolved webhook",
                () ->
                        webhooks.contains(
                                Map.of(
                                        "status",
                                        "resolved",
                                        "region",
                                        "europe",
                                        "state",
                                        "HEALTHY")));
        System.out.printf(
                "AlertPipelineIT: region killed -> inbound alert journaled in %d ms; region back"
                        + " -> resolution journaled in %d ms%n",
                firingMs, resolvedMs);
    }

    // The region is part of the match: on a loaded machine the first probes of the other region
    // can time out at start-up (300 ms timeouts here), and with `for: 0s` that blip alone fires
    // an alert of its own for that region.
    private static JsonNode alertReceived(String status) {
        return first(
                "alert_received",
                e ->
                        "europe".equals(e.path("region").asText())
                                && "PharosRegionDead"
                                        .equals(
                                                e.get("data")
                                                        .get("labels")
                                                        .get("alertname")
                                                        .asText())
                                && status.equals(e.get("data").get("status").asText()));
    }

    private static JsonNode first(String type, java.util.function.Predicate<JsonNode> p) {
        JsonNode page = pharos.json("/api/v1/events?type=" + type + "&limit=100");
        List<JsonNode> out = new ArrayList<>();
        page.get("events").forEach(out::add);
        return out.stream().filter(p).reduce((a, b) -> b).orElse(null);
    }

    private static int status(String ip, int port, String path) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The value of an instant query at Prometheus, NaN without a result. */
    private static double query(String promql) {
        try {
            String url =
                    "http://"
                            + PROMETHEUS_IP
                            + ":"
                            + prometheusPort
                            + "/api/v1/query?query="
                            + java.net.URLEncoder.encode(promql, StandardCharsets.UTF_8);
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            JsonNode result = JSON.readTree(r.body()).path("data").path("result");
            return result.size() == 0
                    ? Double.NaN
                    : Double.parseDouble(result.get(0).get("value").get(1).asText());
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private static void awaitOrDump(Duration within, String what, Callable<Boolean> condition) {
        try {
            Awaitility.await(what)
                    .atMost(within)
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " did not happen within " + within + "\n" + logs(), e);
        }
    }

    private static String logs() {
        StringBuilder out = new StringBuilder();
        for (String name : new String[] {"pharos", "prometheus", "alertmanager"}) {
            Path log = dir.resolve(name + ".log");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                out.append("---- ").append(log).append('\n');
                lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        .forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }
}
