package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import dev.pharos.testing.Haproxy;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Pharos processes (the built jar) on one Linode token, against the Linode emulator on
 * loopback: the first writes (DNS and the relay node), the second only plans and reads. The token
 * is revoked, then allowed again.
 *
 * <ul>
 *   <li>Only the writing instance becomes not ready; the one that does not actuate shows its
 *       stopped actuators but stays ready.
 *   <li>Every actuator has a name of its own (linode-dns, linode-relay, linode-nodebalancers): one
 *       resume of each stopped one makes the instance ready again.
 * </ul>
 */
class LinodeBadTokenIT {
    private static final String TOKEN = "it-linode-token-3f0c9a-never-print-me";
    private static final String ADMIN = "it-linode-admin-51e2";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LinodeEmulator emulator;
    private static Haproxy relayHaproxy;
    private static final List<PharosInstance> instances = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        LinodeSpec spec = LinodeSpec.require();
        emulator = LinodeEmulator.start(spec, TOKEN, "127.0.109.1");
        long domain = emulator.addDomain("example.test");
        emulator.addRecord(domain, "A", "cdn", "127.0.109.21", 30);
        long nb = emulator.addNodeBalancer("nb-europe");
        long config = emulator.addConfig(nb, 80);
        emulator.addNode(nb, config, "europe-web1", "127.0.109.31:80", "accept");
        long relay = emulator.addNode(nb, config, "europe-relay", "127.0.109.32:80", "reject");
        relayHaproxy =
                Haproxy.start(
                        Files.readString(Path.of("deploy/relay/haproxy.cfg.tmpl"))
                                .replace("@REGION@", "europe")
                                .replace(
                                        "@LISTEN@", "127.0.109.25:" + Ports.freeTcp("127.0.109.25"))
                                .replace("@RUNTIME_API@", "@DIR@/relay.sock"));
        // two vantage points that know each other, as deployed: each sees who writes (one)
        int[] ports = new int[2];
        for (int i = 0; i < 2; i++) {
            ports[i] = PharosInstance.freePort("127.0.109." + (11 + i));
        }
        for (int i = 0; i < 2; i++) {
            String name = "vp-token-" + (i + 1);
            String address = "127.0.109." + (11 + i);
            int other = 1 - i;
            Path dir = Files.createTempDirectory("pharos-" + name);
            TestTopology t =
                    TestTopology.fast(name)
                            .dataDir(dir.resolve("data"))
                            .http(address, ports[i])
                            .sourceAddress(address)
                            .env("PHAROS_API_PEER_TOKEN", TestTopology.peerToken(name))
                            .peer(
                                    "vp-token-" + (other + 1),
                                    "http://127.0.109." + (11 + other) + ":" + ports[other])
                            .region(
                                    "europe",
                                    r ->
                                            r.ipv4("127.0.109.21", 9)
                                                    .set("load-balancer.nodebalancer-id", nb)
                                                    .relay("127.0.109.25", 9)
                                                    .relayControl("nodebalancer-config-id", config)
                                                    .relayControl("node-id", relay)
                                                    .relayControl(
                                                            "runtime-api",
                                                            "unix:"
                                                                    + relayHaproxy
                                                                            .dir()
                                                                            .resolve("relay.sock"))
                                                    .fallback("apac"))
                            .region("apac", r -> r.ipv4("127.0.109.22", 9))
                            .roundRobin("cdn.example.test")
                            .dns("linode")
                            .zone("example.test")
                            .set("pharos.dns.linode.base-url", emulator.baseUrl())
                            .set("pharos.dns.resync-interval", "500ms")
                            .loadBalancer("linode")
                            .set("pharos.loadbalancer.resync-interval", "500ms")
                            .set("pharos.loadbalancer.linode-poll-interval", "500ms")
                            .env("PHAROS_DNS_LINODE_TOKEN", TOKEN)
                            .env("PHAROS_API_ADMIN_TOKEN", ADMIN);
            if (i == 0) {
                t.actuate();
            }
            PharosInstance p = new PharosInstance(t, dir, List.of("-Xmx256m"));
            instances.add(p);
            p.start();
        }
        for (PharosInstance p : instances) {
            await(p.name() + " ready")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> p.status("/q/health/ready") == 200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        instances.forEach(PharosInstance::close);
        if (relayHaproxy != null) {
            relayHaproxy.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    private static HttpResponse<String> resume(PharosInstance p, String actuator) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(p.url() + "/api/v1/actuators/" + actuator + "/resume"))
                        .header("Authorization", "Bearer " + ADMIN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String readiness(PharosInstance p) {
        HttpResponse<String> r = p.get("/q/health/ready");
        return r == null ? "no answer" : r.statusCode() + " " + r.body();
    }

    /** The journal's ACTUATOR_STOPPED events of an instance. */
    private static List<JsonNode> stopEvents(PharosInstance p) {
        List<JsonNode> out = new ArrayList<>();
        p.json("/api/v1/events?type=ACTUATOR_STOPPED").path("events").forEach(out::add);
        return out;
    }

    /** The actuators that ACTUATOR_STOPPED names. */
    private static List<String> stops(PharosInstance p) {
        return stopEvents(p).stream().map(e -> e.path("data").path("actuator").asText()).toList();
    }

    @Test
    void aBadTokenStopsOnlyTheWriterAndOneResumeOfEachActuatorMakesItReady() throws Exception {
        PharosInstance writer = instances.get(0);
        PharosInstance reader = instances.get(1);

        emulator.revokeToken(TOKEN);

        await("the writer's DNS and relay updaters stopped")
                .atMost(Duration.ofSeconds(30))
                .until(() -> stops(writer).containsAll(List.of("linode-dns", "linode-relay")));
        await("the reader's updaters stopped too (they read with the token)")
                .atMost(Duration.ofSeconds(30))
                .until(() -> stops(reader).containsAll(List.of("linode-dns", "linode-relay")));
        assertThat(writer.status("/q/health/ready")).isEqualTo(503);
        assertThat(readiness(writer)).contains("linode-dns: ").contains("linode-relay: ");
        assertThat(readiness(reader)).as("the instance that does not write").startsWith("200");
        assertThat(stopEvents(writer))
                .as("a refused token is no region's fault")
                .allMatch(e -> e.path("region").isMissingNode() || e.path("region").isNull());

        emulator.allowToken(TOKEN);
        assertThat(resume(writer, "linode").statusCode())
                .as("no actuator is named after the provider alone")
                .isEqualTo(404);
        assertThat(resume(writer, "linode-dns").statusCode()).isEqualTo(200);
        assertThat(readiness(writer)).startsWith("503").contains("linode-relay: ");
        assertThat(resume(writer, "linode-relay").statusCode()).isEqualTo(200);
        await("the writer ready after one resume of each")
                .atMost(Duration.ofSeconds(10))
                .until(() -> writer.status("/q/health/ready") == 200);
        HttpResponse<String> again = resume(writer, "linode-dns");
        // a resume is an action for every vantage point: accepted, and "here" says it was not
        // stopped on this one any more
        assertThat(again.statusCode()).as("resumed already").isEqualTo(200);
        assertThat(again.body()).contains("\"here\":false");
        assertThat(resume(writer, "linode-nodebalancers").statusCode()).isEqualTo(200);
        assertThat(emulator.violations()).isEmpty();
    }
}
