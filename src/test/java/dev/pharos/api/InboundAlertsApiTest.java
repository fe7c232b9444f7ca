package dev.pharos.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.testing.FakePeer;
import dev.pharos.testing.Management;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/v1/alerts: Alertmanager's payload in, re-probes and votes out, bad input refused. */
@QuarkusTest
@QuarkusTestResource(value = InboundAlertsResource.class, restrictToAnnotatedClass = true)
class InboundAlertsApiTest {
    static final String TOKEN = InboundAlertsResource.ALERT_TOKEN;
    static final String LB = "europe/lb/ipv4";

    @Inject Journal journal;

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
    }

    /** One alert in Alertmanager's webhook format (version 4). */
    static String payload(String status, Map<String, String> labels) {
        String l =
                labels.entrySet().stream()
                        .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                        .collect(Collectors.joining(","));
        Instant now = Instant.now();
        return """
                {"version":"4","groupKey":"{}:{alertname=\\"X\\"}","truncatedAlerts":0,
                 "status":"%s","receiver":"pharos","groupLabels":{},"commonLabels":{},
                 "commonAnnotations":{},"externalURL":"http://127.0.0.1:9093",
                 "alerts":[{"status":"%s","labels":{%s},
                   "annotations":{"summary":"from a test"},
                   "startsAt":"%s","endsAt":"%s",
                   "generatorURL":"http://127.0.0.1:9090/graph","fingerprint":"%s"}]}
                """
                .formatted(
                        status,
                        status,
                        l,
                        now.minusSeconds(60),
                        "firing".equals(status) ? "0001-01-01T00:00:00Z" : now.toString(),
                        Integer.toHexString(labels.hashCode()));
    }

    private static Response post(String body) {
        return given().auth()
                .oauth2(TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/alerts");
    }

    private List<JournalEvent> since(long seq, EventType type) {
        return journal.since(e -> e.type() == type, seq, 100);
    }

    private static List<FakePeer.Request> peerReprobes() {
        return InboundAlertsResource.peer.requestsTo("/api/v1/observations/reprobe");
    }

    private static Instant lastOwnProbe(String region, String target) {
        for (var t :
                given().get("/api/v1/regions/" + region).jsonPath().getList("targets", Map.class)) {
            if (target.equals(t.get("id"))) {
                @SuppressWarnings("unchecked")
                var vps = (List<Map<String, Object>>) t.get("vantagePoints");
                @SuppressWarnings("unchecked")
                var last = (Map<String, Object>) vps.get(0).get("last");
                return last == null ? Instant.EPOCH : Instant.parse((String) last.get("at"));
            }
        }
        throw new AssertionError("no target " + target);
    }

    private static String verdict(String target) {
        for (var t :
                given().get("/api/v1/regions/europe").jsonPath().getList("targets", Map.class)) {
            if (target.equals(t.get("id"))) {
                @SuppressWarnings("unchecked")
                var v = (Map<String, Object>) t.get("verdict");
                return v.get("health") + ": " + v.get("reason");
            }
        }
        throw new AssertionError("no target " + target);
    }

    @Test
    void anAlertAboutARegionIsJournaledAndItsTargetsAreReprobedHereAndAtEveryPeer() {
        long seq = journal.lastSeq();
        int peerCalls = peerReprobes().size();
        Instant before = Instant.now();

        post(payload(
                        "firing",
                        Map.of(
                                "alertname",
                                "BlackboxDown",
                                "pharos_region",
                                "europe",
                                "severity",
                                "critical")))
                .then()
                .statusCode(200)
                .body("accepted", org.hamcrest.Matchers.equalTo(1))
                .body("reprobed", org.hamcrest.Matchers.contains("europe/backend/web1", LB))
                .body("vantagePoints", org.hamcrest.Matchers.contains("vp-test", "vp-b"));

        JournalEvent in = since(seq, EventType.ALERT_RECEIVED).get(0);
        assertThat(in.message()).isEqualTo("alert BlackboxDown firing (region europe)");
        assertThat(in.region()).isEqualTo("europe");
        assertThat(in.severity().label()).isEqualTo("critical");
        assertThat(in.data())
                .containsEntry("status", "firing")
                .containsEntry("summary", "from a test")
                .containsKey("labels")
                .doesNotContainKey("authorization");
        assertThat(in.toString()).doesNotContain(TOKEN);
        JournalEvent reprobe = since(in.seq(), EventType.REPROBE).get(0);
        assertThat(reprobe.message())
                .isEqualTo(
                        "re-probing europe/backend/web1, europe/lb/ipv4 from every vantage point"
                                + " (vp-test, vp-b): alert BlackboxDown firing");

        await().atMost(Duration.ofSeconds(3)).until(() -> peerReprobes().size() > peerCalls);
        FakePeer.Request asked = peerReprobes().get(peerReprobes().size() - 1);
        assertThat(asked.authorization()).isEqualTo("Bearer " + InboundAlertsResource.PEER_TOKEN);
        assertThat(asked.body())
                .contains("\"by\":\"vp-test\"", "\"europe/lb/ipv4\"", "BlackboxDown");
        // probes run every 5 s; the re-probe shows well before the next one
        await().atMost(Duration.ofSeconds(2))
                .until(() -> !lastOwnProbe("europe", LB).isBefore(before.minusMillis(50)));
    }

    @Test
    void aPeersReprobeRequestIsTakenWithThePeerTokenOnly() {
        long seq = journal.lastSeq();
        String body =
                "{\"by\":\"vp-b\",\"targets\":[\"apac/lb/ipv4\",\"nowhere/lb/ipv4\"],\"reason\":\"alert X firing\"}";
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/observations/reprobe")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/observations/reprobe")
                .then()
                .statusCode(401);
        // this instance's own peer token names no peer: it is only what it presents to others
        given().auth()
                .oauth2(InboundAlertsResource.PEER_TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/observations/reprobe")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(InboundAlertsResource.peer.token())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/observations/reprobe")
                .then()
                .statusCode(200)
                .body("reprobed", org.hamcrest.Matchers.contains("apac/lb/ipv4"));
        assertThat(since(seq, EventType.REPROBE))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.message())
                                        .isEqualTo(
                                                "re-probing apac/lb/ipv4 at the request of vp-b: alert X firing"));
    }

    @Test
    void badInputGetsA4xxProblemAndChangesNothing() {
        String valid = payload("firing", Map.of("alertname", "X", "pharos_region", "europe"));
        long seq = journal.lastSeq();
        int peerCalls = peerReprobes().size();

        expectProblem(
                given().contentType(ContentType.JSON).body(valid).post("/api/v1/alerts"),
                401,
                "a bearer token is required");
        expectProblem(
                given().auth()
                        .oauth2("wrong")
                        .contentType(ContentType.JSON)
                        .body(valid)
                        .post("/api/v1/alerts"),
                401,
                "wrong bearer token");
        expectProblem(
                given().auth()
                        .oauth2(InboundAlertsResource.peer.token())
                        .contentType(ContentType.JSON)
                        .body(valid)
                        .post("/api/v1/alerts"),
                401,
                "wrong bearer token");
        expectProblem(
                post("{\"version\":\"4\",\"alerts\":[}"),
                400,
                "malformed JSON at line 1, column 26");
        expectProblem(post(""), 400, "an Alertmanager webhook payload (JSON) is required");
        expectProblem(post("[]"), 400, "the payload must be a JSON object");
        expectProblem(
                post(valid.replace("\"version\":\"4\"", "\"version\":\"3\"")),
                400,
                "version: \"3\" is not supported (only \"4\")");
        expectProblem(post("{\"version\":\"4\"}"), 400, "alerts: required, a list");
        expectProblem(
                post(
                        valid.replace(
                                "\"status\":\"firing\",\"labels\"",
                                "\"status\":\"pending\",\"labels\"")),
                400,
                "alerts[0].status: must be \"firing\" or \"resolved\"");
        expectProblem(
                post(valid.replace("\"alertname\":\"X\"", "\"alertname\":7")),
                400,
                "alerts[0].labels.alertname: must be a string");
        expectProblem(
                post(valid.replaceAll("\"startsAt\":\"[^\"]*\"", "\"startsAt\":\"yesterday\"")),
                400,
                "alerts[0].startsAt: yesterday is not an RFC 3339 time");
        expectProblem(
                post(payload("firing", Map.of("alertname", "X", "pharos_region", "mars"))),
                422,
                "alerts[0].labels.pharos_region: unknown region 'mars' (known: apac, europe)");
        expectProblem(
                post(payload("firing", Map.of("alertname", "X", "pharos_target", "mars/lb/ipv4"))),
                422,
                "alerts[0].labels.pharos_target: unknown target 'mars/lb/ipv4' (a target id such as apac/lb/ipv4)");
        expectProblem(
                post(
                        payload(
                                "firing",
                                Map.of(
                                        "alertname",
                                        "X",
                                        "pharos_region",
                                        "apac",
                                        "pharos_target",
                                        LB))),
                422,
                "alerts[0].labels.pharos_target: target 'europe/lb/ipv4' is not in region 'apac'");
        expectProblem(
                given().auth()
                        .oauth2(TOKEN)
                        .contentType(ContentType.TEXT)
                        .body(valid)
                        .post("/api/v1/alerts"),
                415,
                "unsupported media type");
        String padded =
                valid.replace(
                        "\"summary\":\"from a test\"",
                        "\"summary\":\"" + "x".repeat(300_000) + "\"");
        expectProblem(
                post(padded),
                413,
                "the payload has "
                        + padded.length()
                        + " bytes; at most 262144 are accepted (pharos.alerts.inbound.max-bytes)");
        String huge =
                valid.replace(
                        "\"summary\":\"from a test\"",
                        "\"summary\":\"" + "x".repeat(10 * 1024 * 1024) + "\"");
        expectProblem(
                post(huge),
                413,
                "the payload has "
                        + huge.length()
                        + " bytes; at most 262144 are accepted (pharos.alerts.inbound.max-bytes)");
        expectProblem(
                given().contentType(ContentType.JSON).body(huge).post("/api/v1/alerts"),
                401,
                "a bearer token is required");

        assertThat(since(seq, EventType.ALERT_RECEIVED)).isEmpty();
        assertThat(since(seq, EventType.REPROBE)).isEmpty();
        assertThat(peerReprobes()).hasSize(peerCalls);
    }

    private static void expectProblem(Response r, int status, String detail) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        if (detail != null) {
            assertThat(r.jsonPath().getString("detail")).isEqualTo(detail);
        }
        assertThat(r.jsonPath().getInt("status")).isEqualTo(status);
        assertThat(r.asString())
                .doesNotContain("Exception")
                .doesNotContain("at dev.")
                .doesNotContain("at io.");
    }

    @Test
    void aFiringAlertAddsOneDownVoteThatTipsAVerdictOnlyBesideAVantagePointsOwnDownVote() {
        try {
            InboundAlertsResource.peer.votes(
                    Map.of(LB, "UNKNOWN", "europe/backend/web1", "UP", "apac/lb/ipv4", "UP"));
            String firing = payload("firing", Map.of("alertname", "LbDown", "pharos_target", LB));
            // the alert alone, while this vantage point sees the load balancer UP: nothing changes
            post(firing).then().statusCode(200);
            await().during(Duration.ofMillis(800))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> verdict(LB).startsWith("UP"));
            assertThat(verdict(LB)).contains("an inbound alert not counted alone");

            // the load balancer dies; the alert's re-probe finds it at once, and with the alert's
            // vote
            // this vantage point's DOWN makes 2 of 2
            InboundAlertsResource.europeLb.stop();
            post(firing).then().statusCode(200);
            await().atMost(Duration.ofSeconds(3)).until(() -> verdict(LB).startsWith("DOWN"));
            assertThat(verdict(LB))
                    .isEqualTo("DOWN: DOWN: 1 of 2 vantage points + an inbound alert, fall=2");

            // resolved: the vote is gone; the verdict keeps DOWN until a quorum says UP
            post(payload("resolved", Map.of("alertname", "LbDown", "pharos_target", LB)))
                    .then()
                    .statusCode(200);
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> verdict(LB).startsWith("DOWN: kept DOWN"));
        } finally {
            InboundAlertsResource.europeLb.start();
            InboundAlertsResource.peer.votes(
                    Map.of(LB, "UP", "europe/backend/web1", "UP", "apac/lb/ipv4", "UP"));
        }
        post(payload(
                        "firing",
                        Map.of(
                                "alertname",
                                "Recover",
                                "pharos_target",
                                LB,
                                "pharos_vote",
                                "false")))
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> verdict(LB).startsWith("UP"));
    }
}
