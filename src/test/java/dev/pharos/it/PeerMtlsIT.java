package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.OpensslPki;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import dev.pharos.testing.Tools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mutual TLS as the peers' identity ({@code pharos.api.peer-mtls}) between three Pharos processes
 * from the built jar, with no peer token anywhere: each vantage point's certificate, made at test
 * time by {@code openssl} from one CA, names it (CN and DNS SAN {@code vpN}, IP SAN its loopback
 * address for the server side), and it presents the same key pair as server and as client. The
 * three exchange snapshots and hold quorum on certificates alone. Then a rogue holding vp3's valid
 * key pair posts snapshots in vp2's name that vote europe DOWN: refused with 403 problem JSON,
 * counted in {@code pharos_peer_refused_total}, journaled as {@code PEER_REFUSED}, and no verdict
 * changes on any instance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerMtlsIT {
    private static final String EU = "europe/lb/ipv4";
    private static final List<String> VPS = List.of("vp1", "vp2", "vp3");

    private static LoopbackHttpServer europeLb;
    private static LoopbackHttpServer apacLb;
    private static OpensslPki pki;
    private static final List<PharosInstance> instances = new ArrayList<>();
    private static final Map<String, Integer> httpsPorts = new HashMap<>();

    @BeforeAll
    static void startThreeInstancesWithCertificates() throws Exception {
        Tools.require("openssl", "openssl");
        europeLb = new LoopbackHttpServer("127.0.1.1", "europe-lb").start();
        apacLb = new LoopbackHttpServer("127.0.2.1", "apac-lb").start();
        Path dir = Files.createTempDirectory("pharos-peer-mtls-it");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        pki = new OpensslPki(certs, "peers-ca");
        for (int i = 1; i <= 3; i++) {
            pki.issue("vp" + i, "vp" + i, "DNS:vp" + i, "IP:" + Cluster.address(i));
            httpsPorts.put("vp" + i, PharosInstance.freePort(Cluster.address(i)));
        }
        TestTopology shared =
                new TestTopology()
                        .timings(Timings.DEFAULTS.withRise(2))
                        // a TLS handshake on a loaded machine can take over a second
                        .quorum("exchange-interval", "2s")
                        .quorum("exchange-timeout", "1500ms")
                        .quorum("stale-after", "6s")
                        .quorum("tls-configuration-name", "peer")
                        .set("pharos.api.peer-mtls", true)
                        .set("quarkus.http.tls-configuration-name", "peer")
                        .set("quarkus.tls.peer.trust-store.pem.certs", pki.caPem())
                        .region("europe", europeLb)
                        .region("apac", apacLb);
        for (int i = 1; i <= 3; i++) {
            String name = "vp" + i;
            String address = Cluster.address(i);
            TestTopology t =
                    shared.copy()
                            .name(name)
                            .http(address, PharosInstance.freePort(address))
                            .set("quarkus.http.ssl-port", httpsPorts.get(name))
                            .sourceAddress(address)
                            .dataDir(dir.resolve(name))
                            .dns("none")
                            .set("quarkus.tls.peer.key-store.pem.a.cert", pki.pem(name))
                            .set("quarkus.tls.peer.key-store.pem.a.key", pki.key(name));
            for (int j = 1; j <= 3; j++) {
                if (j != i) {
                    t.peerWithoutToken("vp" + j, httpsUrl(j));
                }
            }
            assertThat(t.env()).as("no peer token anywhere").isEmpty();
            assertThat(t.yaml()).doesNotContain("token");
            Files.createDirectories(t.dataDir());
            instances.add(
                    new PharosInstance(
                            t,
                            dir,
                            List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")));
        }
        instances.forEach(PharosInstance::start);
        awaitOrDump(
                Duration.ofSeconds(90),
                "all three live",
                () -> instances.stream().allMatch(PharosInstance::live));
    }

    @AfterAll
    static void stopEverything() {
        instances.forEach(PharosInstance::kill);
        for (LoopbackHttpServer s : new LoopbackHttpServer[] {europeLb, apacLb}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    private static String httpsUrl(int i) {
        return "https://" + Cluster.address(i) + ":" + httpsPorts.get("vp" + i);
    }

    @Test
    @Order(1)
    void theThreeExchangeSnapshotsWithCertificatesAloneAndHoldQuorum() {
        awaitOrDump(
                Duration.ofSeconds(90),
                "each instance warm with quorum, both peers reachable, every verdict UP",
                () ->
                        instances.stream()
                                .allMatch(
                                        p -> {
                                            JsonNode s = p.statusJson();
                                            boolean peers = s.get("peers").size() == 2;
                                            for (JsonNode peer : s.get("peers")) {
                                                peers &= peer.get("reachable").asBoolean();
                                            }
                                            return peers
                                                    && StatusJson.quorumHeld(s)
                                                    && StatusJson.warm(s)
                                                    && StatusJson.allUp(s);
                                        }));
        for (PharosInstance p : instances) {
            // one snapshot of the status for every fact
            JsonNode s = p.statusJson();
            assertThat(s.get("quorum").get("reachable").asInt()).as(p.name()).isEqualTo(3);
            for (JsonNode peer : s.get("peers")) {
                assertThat(peer.get("url").asText()).as(p.name()).startsWith("https://");
                assertThat(peer.get("round").asLong())
                        .as(p.name() + " holds a snapshot of " + peer.get("name"))
                        .isPositive();
            }
            // every vantage point's vote on europe counted here, fresh
            JsonNode eu = target(s, "europe", EU);
            List<String> fresh = new ArrayList<>();
            for (JsonNode v : eu.get("vantagePoints")) {
                if (v.get("fresh").asBoolean() && "UP".equals(v.get("vote").asText())) {
                    fresh.add(v.get("vantage").asText());
                }
            }
            assertThat(fresh).as(p.name()).containsExactlyInAnyOrderElementsOf(VPS);
            // no exchange request was refused anywhere: each certificate named its peer
            assertThat(refusedInAll(p)).as(p.name()).isZero();
        }
    }

    @Test
    @Order(2)
    void withoutACertificateTheObservationEndpointsRefuse() throws Exception {
        PharosInstance vp1 = instances.get(0);
        // plain http: no certificate, and no token works since none is configured
        HttpResponse<String> r =
                vp1.send("POST", "/api/v1/observations", "anything", downSnapshot("vp2"));
        assertThat(r.statusCode()).isEqualTo(401);
        // https with the CA trusted but no key pair presented
        HttpResponse<String> none =
                send(client(pki.context(null)), httpsUrl(1), downSnapshot("vp2"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body())
                .contains("a bearer token or a client certificate naming a peer is required");
    }

    @Test
    @Order(3)
    void aRogueWithVp3sCertificateCannotSpeakForVp2() throws Exception {
        Map<String, Instant> before = new HashMap<>();
        for (PharosInstance p : instances) {
            before.put(p.name(), p.verdictSince("europe", EU));
        }
        HttpClient vp3 = client(pki.context("vp3"));
        Map<String, Integer> forged = new HashMap<>();
        Instant end = Instant.now().plusSeconds(6);
        while (Instant.now().isBefore(end)) {
            // vp1 and vp2 know vp3 as a peer: its certificate is vp3's credential there
            for (int i = 1; i <= 2; i++) {
                HttpResponse<String> r = send(vp3, httpsUrl(i), downSnapshot("vp2"));
                assertThat(r.statusCode()).as("vp" + i + ": " + r.body()).isEqualTo(403);
                assertThat(r.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(
                                t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(r.body())
                        .contains("a snapshot of vantage point 'vp2' sent with vp3's credential");
                forged.merge("vp" + i, 1, Integer::sum);
            }
            assertEveryVerdictUnchanged(before);
        }
        // the verdicts still stand after the pushes stopped
        Instant settle = Instant.now().plusSeconds(3);
        while (Instant.now().isBefore(settle)) {
            assertEveryVerdictUnchanged(before);
        }
        for (int i = 1; i <= 2; i++) {
            PharosInstance p = instances.get(i - 1);
            assertThat(refused(p, "vp3", "vantage"))
                    .as(p.name() + ": every forged snapshot counted")
                    .isEqualTo(forged.get(p.name()));
            awaitOrDump(
                    Duration.ofSeconds(20),
                    p.name() + ": the forgery journaled",
                    () -> {
                        JsonNode events = p.json("/api/v1/events?type=PEER_REFUSED").get("events");
                        for (JsonNode e : events) {
                            JsonNode d = e.get("data");
                            if ("vp3".equals(d.get("caller").asText())
                                    && "vantage".equals(d.get("reason").asText())
                                    && e.get("message")
                                            .asText()
                                            .contains("sent with vp3's credential")) {
                                return true;
                            }
                        }
                        return false;
                    });
        }
        // vp3's own exchange goes on: its genuine snapshots are still taken everywhere
        for (PharosInstance p : instances.subList(0, 2)) {
            JsonNode s = p.statusJson();
            assertThat(StatusJson.peer(s, "vp3").get("reachable").asBoolean())
                    .as(p.name())
                    .isTrue();
            assertThat(StatusJson.quorumHeld(s)).as(p.name()).isTrue();
        }
    }

    /** A snapshot as a peer sends it, voting europe's load balancer DOWN with a fresh result. */
    private static String downSnapshot(String vantage) {
        return """
               {"vantage":"%s","instance":"forged-%s","startedAt":"%s","round":1,"now":"%s",
                "abstaining":false,
                "targets":{"europe/lb/ipv4":{"vote":"DOWN","ageMs":5,
                  "last":{"success":false,"reason":"REFUSED"}}}}
               """
                .formatted(vantage, vantage, Instant.now().minusSeconds(5), Instant.now());
    }

    /** A client presenting the key pair of the context (if any) and trusting the peers' CA. */
    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static HttpResponse<String> send(HttpClient client, String base, String body)
            throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/observations"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode target(JsonNode status, String region, String id) {
        for (JsonNode t : StatusJson.region(status, region).get("targets")) {
            if (t.get("id").asText().equals(id)) {
                return t;
            }
        }
        throw new IllegalStateException("no target " + id);
    }

    private static void assertEveryVerdictUnchanged(Map<String, Instant> before) {
        for (PharosInstance p : instances) {
            JsonNode verdict = p.target("europe", EU).get("verdict");
            assertThat(verdict.get("health").asText()).as(p.name()).isEqualTo("UP");
            assertThat(Instant.parse(verdict.get("since").asText()))
                    .as(p.name() + ": the verdict never changed")
                    .isEqualTo(before.get(p.name()));
        }
    }

    /** pharos_peer_refused_total{caller,reason} on one instance. */
    private static int refused(PharosInstance p, String caller, String reason) {
        Matcher m =
                Pattern.compile(
                                "pharos_peer_refused_total\\{caller=\""
                                        + caller
                                        + "\",reason=\""
                                        + reason
                                        + "\"\\} ([0-9.]+)")
                        .matcher(p.metrics());
        return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
    }

    /** The sum of every pharos_peer_refused_total series on one instance. */
    private static double refusedInAll(PharosInstance p) {
        Matcher m =
                Pattern.compile("(?m)^pharos_peer_refused_total\\{[^}]*\\} ([0-9.eE+-]+)$")
                        .matcher(p.metrics());
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    private static void awaitOrDump(Duration within, String what, Callable<Boolean> condition) {
        try {
            Awaitility.await(what)
                    .atMost(within)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            StringBuilder logs = new StringBuilder();
            for (PharosInstance p : instances) {
                List<String> all = List.of(p.logText().split("\n"));
                logs.append("---- ").append(p.name()).append('\n');
                all.subList(Math.max(0, all.size() - 40), all.size())
                        .forEach(l -> logs.append(l).append('\n'));
            }
            throw new AssertionError(what + "\n" + logs, e);
        }
    }
}
