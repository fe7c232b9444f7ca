package dev.pharos.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.pharos.testing.FakePeer;
import dev.pharos.testing.Management;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The observation exchange over HTTP, against one faked peer; two vantage points, quorum 2. */
@QuarkusTest
@QuarkusTestResource(value = OnePeerResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservationApiTest {
    private static final String LB = "europe/lb/ipv4";

    /** What vp-b presents: its own token, known here by its digest. */
    private static final String BEARER = "Bearer " + OnePeerResource.peerToken();

    /** What this instance presents to vp-b: its own PHAROS_API_PEER_TOKEN. */
    private static final String OWN_BEARER = "Bearer " + OnePeerResource.PEER_TOKEN;

    private static String verdict(String field) {
        return given().get("/api/v1/regions/europe")
                .then()
                .statusCode(200)
                .extract()
                .path("targets.find { it.id == '" + LB + "' }.verdict." + field);
    }

    private static String pushBody(String vantage) {
        return """
               {"vantage":"%s","instance":"i-1","startedAt":"2026-01-01T00:00:00Z","round":1,
                "now":"2026-01-01T00:00:01Z","abstaining":false,
                "targets":{"europe/lb/ipv4":{"vote":"UP","ageMs":0}}}
               """
                .formatted(vantage);
    }

    @Test
    @Order(1)
    void theSnapshotNeedsThePeerToken() {
        given().get("/api/v1/observations")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("detail", equalTo("a bearer token is required"));
        given().header("Authorization", "Bearer wrong")
                .get("/api/v1/observations")
                .then()
                .statusCode(401)
                .body("detail", equalTo("wrong bearer token"));
        given().header("Authorization", "Bearer wrong")
                .contentType(ContentType.JSON)
                .body(pushBody("vp-b"))
                .post("/api/v1/observations")
                .then()
                .statusCode(401);
    }

    @Test
    @Order(2)
    void theSnapshotNamesThisInstanceAndCarriesEveryVoteWithItsLatestObservation() {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                given().header("Authorization", BEARER)
                                        .get("/api/v1/observations")
                                        .then()
                                        .body("targets.'europe/lb/ipv4'.vote", equalTo("UP")));
        int first =
                given().header("Authorization", BEARER)
                        .get("/api/v1/observations")
                        .then()
                        .statusCode(200)
                        .body("vantage", equalTo("vp-test"))
                        .body("instance", notNullValue())
                        .body("startedAt", notNullValue())
                        .body("abstaining", equalTo(false))
                        .body("targets.'europe/lb/ipv4'.ageMs", greaterThanOrEqualTo(0))
                        .body("targets.'europe/lb/ipv4'.since", notNullValue())
                        .body("targets.'europe/lb/ipv4'.last.success", equalTo(true))
                        .body("targets.'europe/lb/ipv4'.last.totalMs", notNullValue())
                        .extract()
                        .path("round");
        int second =
                given().header("Authorization", BEARER)
                        .get("/api/v1/observations")
                        .then()
                        .extract()
                        .path("round");
        assertThat(second).isGreaterThan(first);
    }

    @Test
    @Order(3)
    void thePeerIsPulledEachIntervalWithTheBearerToken() {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/status")
                                        .then()
                                        .body("peers[0].name", equalTo("vp-b"))
                                        .body("peers[0].reachable", equalTo(true))
                                        .body("quorum.held", equalTo(true)));
        given().get("/api/v1/status")
                .then()
                .body("peers[0].url", equalTo(OnePeerResource.peer.url()))
                .body("peers[0].lastSeenAgoMs", notNullValue())
                .body("peers[0].round", notNullValue())
                .body("peers[0].abstaining", equalTo(false));
        assertThat(OnePeerResource.peer.requests("GET")).isNotEmpty();
        assertThat(OnePeerResource.peer.requests())
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo(OWN_BEARER));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "UP: 2 of 2 vantage points".equals(verdict("reason")));
    }

    @Test
    @Order(4)
    void aPeerSpeaksOnlyForItself() {
        // this instance's own token is what it presents to others: it names no peer here
        given().header("Authorization", OWN_BEARER)
                .contentType(ContentType.JSON)
                .body(pushBody("vp-b"))
                .post("/api/v1/observations")
                .then()
                .statusCode(401);
        given().header("Authorization", BEARER)
                .contentType(ContentType.JSON)
                .body(pushBody("vp-z"))
                .post("/api/v1/observations")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        equalTo("a snapshot of vantage point 'vp-z' sent with vp-b's credential"));
        given().header("Authorization", BEARER)
                .contentType(ContentType.JSON)
                .body(pushBody("vp-test"))
                .post("/api/v1/observations")
                .then()
                .statusCode(403);
        given().header("Authorization", BEARER)
                .contentType(ContentType.JSON)
                .body("{\"by\":\"vp-z\",\"targets\":[\"europe/lb/ipv4\"]}")
                .post("/api/v1/observations/reprobe")
                .then()
                .statusCode(403)
                .body(
                        "detail",
                        equalTo("a re-probe request by 'vp-z' sent with vp-b's credential"));
        String metrics = Management.given().get("/q/metrics").then().extract().asString();
        assertThat(metrics)
                .containsPattern(
                        "pharos_peer_refused_total\\{caller=\"vp-b\",reason=\"vantage\"\\} 3.0")
                .containsPattern(
                        "pharos_peer_refused_total\\{caller=\"unknown\",reason=\"token\"\\} [1-9]");
        // journaled once a minute per caller, not once per request
        given().queryParam("type", "PEER_REFUSED")
                .get("/api/v1/events")
                .then()
                .statusCode(200)
                .body("events.findAll { it.data.caller == 'vp-b' }.size()", equalTo(1))
                .body(
                        "events.find { it.data.caller == 'vp-b' }.message",
                        containsString("vantage point 'vp-z' sent with vp-b's credential"));
    }

    @Test
    @Order(5)
    void pushedSnapshotsAreValidated() {
        String snapshot = pushBody("vp-b");
        given().header("Authorization", BEARER)
                .contentType(ContentType.JSON)
                .body(snapshot.replace("\"round\":1", "\"round\":" + Long.MAX_VALUE))
                .post("/api/v1/observations")
                .then()
                .statusCode(400)
                .body("detail", containsString("more than a run started at"));
        given().header("Authorization", BEARER)
                .contentType(ContentType.JSON)
                .body(snapshot.replace("\"ageMs\":0", "\"ageMs\":" + (Long.MAX_VALUE - 1)))
                .post("/api/v1/observations")
                .then()
                .statusCode(400)
                .body("detail", containsString("is older than the sender's run"));
        given().header("Authorization", BEARER)
                .contentType(ContentType.JSON)
                .body(snapshot.replace("2026-01-01T00:00:00Z", "2999-01-01T00:00:00Z"))
                .post("/api/v1/observations")
                .then()
                .statusCode(400)
                .body("detail", containsString("in the future"));
        given().header("Authorization", BEARER)
                .contentType(ContentType.JSON)
                .body("{\"vantage\": \"vp-b\", ")
                .post("/api/v1/observations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("malformed JSON"));
        given().header("Authorization", BEARER)
                .contentType(ContentType.JSON)
                .body(
                        "{\"vantage\":\"vp-b\",\"instance\":\"i\",\"startedAt\":\"2026-01-01T00:00:00Z\",\"round\":0,\"targets\":{}}")
                .post("/api/v1/observations")
                .then()
                .statusCode(400)
                .body("detail", equalTo("round must be at least 1, got 0"));
        given().header("Authorization", BEARER)
                .contentType(ContentType.JSON)
                .body(pushBody("vp-b").replace("\"UP\"", "\"MAYBE\""))
                .post("/api/v1/observations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("invalid value at targets.europe/lb/ipv4.vote"));
    }

    @Test
    @Order(6)
    void onePeersDownVoteIsNotEnoughAndIsShownWithItsObservation() {
        OnePeerResource.peer.votes(Map.of(LB, "DOWN"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/regions/europe")
                                        .then()
                                        .body(
                                                "targets[0].vantagePoints[1].vantage",
                                                equalTo("vp-b"))
                                        .body("targets[0].vantagePoints[1].vote", equalTo("DOWN")));
        given().get("/api/v1/regions/europe")
                .then()
                .body("targets[0].vantagePoints.size()", equalTo(2))
                .body("targets[0].vantagePoints[0].vantage", equalTo("vp-test"))
                .body("targets[0].vantagePoints[0].vote", equalTo("UP"))
                .body("targets[0].vantagePoints[1].fresh", equalTo(true))
                .body("targets[0].vantagePoints[1].reachable", equalTo(true))
                .body("targets[0].vantagePoints[1].last.reason", equalTo("REFUSED"))
                .body("targets[0].verdict.health", equalTo("UP"))
                .body(
                        "targets[0].verdict.reason",
                        equalTo("kept UP: no quorum of 2 (1 up, 1 down)"));
    }

    @Test
    @Order(7)
    void aVoteChangeIsPushedAtOnceAndTheSecondDownVoteDecides() {
        int pushesBefore = OnePeerResource.peer.requests("POST").size();
        OnePeerResource.europeLb.stop();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> "DOWN".equals(verdict("health")));
            assertThat(verdict("reason")).isEqualTo("DOWN: 2 of 2 vantage points, fall=2");
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    OnePeerResource.peer.requests("POST").stream()
                                                            .skip(pushesBefore)
                                                            .map(FakePeer.Request::body))
                                            .anySatisfy(
                                                    b ->
                                                            assertThat(b)
                                                                    .contains(
                                                                            "\"vantage\":\"vp-test\"")
                                                                    .contains(
                                                                            "\"europe/lb/ipv4\":{\"vote\":\"DOWN\"")));
            assertThat(OnePeerResource.peer.requests("POST"))
                    .allSatisfy(r -> assertThat(r.authorization()).isEqualTo(OWN_BEARER));
        } finally {
            OnePeerResource.europeLb.start();
            OnePeerResource.peer.votes(Map.of(LB, "UP"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(verdict("health")));
    }

    @Test
    @Order(8)
    void aPeerThatStopsAnsweringIsReportedAndQuorumIsLost() {
        OnePeerResource.peer.status(500);
        try {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () ->
                                    given().get("/api/v1/status")
                                            .then()
                                            .body("quorum.held", equalTo(false))
                                            .body("peers[0].reachable", equalTo(false))
                                            .body("peers[0].lastError", equalTo("pull: HTTP 500")));
            Management.given()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .body(containsString("quorum lost: 1 of 2 vantage points reachable, 2 needed"));
            String metrics = Management.given().get("/q/metrics").then().extract().asString();
            assertThat(metrics)
                    .contains("pharos_peer_up{peer=\"vp-b\"} 0.0")
                    .containsPattern("pharos_quorum_lost_total(\\{\\})? [1-9]")
                    .containsPattern(
                            "pharos_peer_exchange_total\\{direction=\"pull\",outcome=\"server_error\",peer=\"vp-b\"\\} [1-9]")
                    .containsPattern(
                            "pharos_peer_exchange_total\\{direction=\"pull\",outcome=\"ok\",peer=\"vp-b\"\\} [1-9]")
                    .containsPattern(
                            "pharos_peer_last_seen_age_seconds\\{peer=\"vp-b\"\\} [0-9.]+");
        } finally {
            OnePeerResource.peer.status(200);
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/status")
                                        .then()
                                        .body("quorum.held", equalTo(true)));
        Management.given()
                .get("/q/metrics")
                .then()
                .body(containsString("pharos_peer_up{peer=\"vp-b\"} 1.0"));
    }

    @Test
    @Order(9)
    void thePeerTokenNeverReachesTheLog() throws Exception {
        String log = Files.readString(OnePeerResource.log);
        assertThat(log).contains("exchanging observations with 1 peers");
        for (String secret : List.of(OnePeerResource.PEER_TOKEN, OnePeerResource.peerToken())) {
            assertThat(log).doesNotContain(secret);
            given().get("/api/v1/status").then().body(not(containsString(secret)));
            given().get("/api/v1/events").then().body(not(containsString(secret)));
            Management.given().get("/q/metrics").then().body(not(containsString(secret)));
            Management.given().get("/q/health/ready").then().body(not(containsString(secret)));
            given().header("Authorization", BEARER)
                    .get("/api/v1/observations")
                    .then()
                    .body(not(containsString(secret)));
        }
        assertThat(Files.readString(OnePeerResource.journal()))
                .doesNotContain(OnePeerResource.PEER_TOKEN)
                .doesNotContain(OnePeerResource.peerToken());
    }
}
