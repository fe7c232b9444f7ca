package dev.pharos.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.pharos.config.Topology;
import dev.pharos.testing.Management;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TwoRegionsResource.class, restrictToAnnotatedClass = true)
class OperatorApiTest {
    static final String TOKEN = TwoRegionsResource.ADMIN_TOKEN;
    static final List<String> LOG = new ArrayList<>();
    static final Handler CAPTURE =
            new Handler() {
                @Override
                public void publish(LogRecord r) {
                    synchronized (LOG) {
                        LOG.add(
                                String.valueOf(r.getMessage())
                                        + " "
                                        + java.util.Arrays.toString(r.getParameters()));
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };

    @Inject Topology topology;

    @BeforeAll
    static void captureLog() {
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void release() {
        Logger.getLogger("").removeHandler(CAPTURE);
    }

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
        given().auth().oauth2(TOKEN).delete("/api/v1/regions/europe/drain");
    }

    @Test
    void mutatingEndpointsNeedTheAdminToken() {
        String body = "{\"reason\":\"maintenance\",\"duration\":\"1h\"}";
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/regions/europe/drain")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json")
                .body("detail", equalTo("a bearer token is required"));
        given().auth()
                .oauth2("wrong")
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/regions/europe/drain")
                .then()
                .statusCode(401)
                .body("detail", equalTo("wrong bearer token"));
        given().contentType(ContentType.JSON).post("/api/v1/plan/confirm").then().statusCode(401);
        given().delete("/api/v1/regions/europe/drain").then().statusCode(401);
        given().get("/api/v1/regions/europe")
                .then()
                .statusCode(200)
                .body("state", not(equalTo("DRAINED")));
    }

    @Test
    void aDrainTakesTheRegionOutIsPersistedJournaledAndRemovedAgain() throws Exception {
        given().auth()
                .oauth2(TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"kernel upgrade\",\"duration\":\"30m\"}")
                .post("/api/v1/regions/europe/drain")
                .then()
                .statusCode(200)
                .body("region", equalTo("europe"))
                .body("reason", equalTo("kernel upgrade"));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/regions/europe")
                                        .then()
                                        .body("state", equalTo("DRAINED")));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/plan")
                                        .then()
                                        .statusCode(200)
                                        .body(
                                                "desired.find { it.key.name == 'cdn.example.test' }.values",
                                                equalTo(
                                                        List.of(
                                                                TwoRegionsResource.apacLb
                                                                        .address()))));
        String state = Files.readString(topology.dataDir().resolve("state.json"));
        assertThat(state).contains("kernel upgrade");
        given().get("/api/v1/events?type=drain_set&region=europe")
                .then()
                .statusCode(200)
                .body("events.type", everyItem(equalTo("DRAIN_SET")))
                .body("events.message", hasItem(containsString("kernel upgrade")));

        given().auth().oauth2(TOKEN).delete("/api/v1/regions/europe/drain").then().statusCode(200);
        given().auth()
                .oauth2(TOKEN)
                .delete("/api/v1/regions/europe/drain")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/regions/europe")
                                        .then()
                                        .body("state", not(equalTo("DRAINED"))));
        assertThat(Files.readString(topology.dataDir().resolve("state.json")))
                .doesNotContain("kernel upgrade");
    }

    @Test
    void badDrainRequestsAreProblemsAndChangeNothing() {
        String[][] cases = {
            {"{\"duration\":\"1h\"}", "'reason' is required"},
            {"{\"reason\":\"x\"}", "'until' or 'duration' is required"},
            {"{\"reason\":\"x\",\"until\":\"tomorrow\"}", "not an ISO-8601 instant"},
            {"{\"reason\":\"x\",\"until\":\"2001-01-01T00:00:00Z\"}", "in the past"},
            {"{\"reason\":\"x\",\"duration\":\"-5m\"}", "duration"},
            {"{\"reason\":\"x\",\"duration\":\"400d\"}", "at most 30 days"},
            {"{\"reason\": ", "malformed JSON"},
        };
        for (String[] c : cases) {
            given().auth()
                    .oauth2(TOKEN)
                    .contentType(ContentType.JSON)
                    .body(c[0])
                    .post("/api/v1/regions/europe/drain")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString(c[1]))
                    .body(not(containsString("Exception")));
        }
        given().auth()
                .oauth2(TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"x\",\"duration\":\"1h\"}")
                .post("/api/v1/regions/atlantis/drain")
                .then()
                .statusCode(404);
        given().get("/api/v1/regions/europe").then().body("state", not(equalTo("DRAINED")));
        given().get("/api/v1/events?type=drain_set&after=0")
                .then()
                .body("events.message", not(hasItem(org.hamcrest.Matchers.endsWith(": x"))));
    }

    @Test
    void confirmingWithNothingHeldBackIsAConflict() {
        given().auth()
                .oauth2(TOKEN)
                .contentType(ContentType.JSON)
                .post("/api/v1/plan/confirm")
                .then()
                .statusCode(409)
                .body("detail", equalTo("no removal is waiting for confirmation"));
    }

    @Test
    void eventsArePagedAndFiltered() {
        given().get("/api/v1/events?limit=2")
                .then()
                .statusCode(200)
                .body("events.size()", equalTo(2));
        Integer next = given().get("/api/v1/events?limit=2").then().extract().path("next");
        given().get("/api/v1/events?limit=2&before=" + next)
                .then()
                .statusCode(200)
                .body("events[0].seq", equalTo(next - 1));
        given().get("/api/v1/events?type=STARTED").then().body("events.type", hasItems("STARTED"));
        given().get("/api/v1/events?limit=0")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/v1/events?type=bogus")
                .then()
                .statusCode(400)
                .body("detail", containsString("bogus"));
        given().get("/api/v1/events?before=5&after=1").then().statusCode(400);
    }

    @Test
    void statusShowsRecordsWithTheirWorstCaseFailoverTime() {
        given().get("/api/v1/status")
                .then()
                .statusCode(200)
                .body("records.name", hasItems("cdn.example.test", "europe.example.test"))
                .body("records[0].worstCaseFailover.ttlSeconds", equalTo(30.0f))
                .body("records[0].worstCaseFailover.detectionSeconds", equalTo(0.5f));
    }

    @Test
    void theTokenNeverAppearsInLogsResponsesOrTheJournal() throws Exception {
        given().auth()
                .oauth2(TOKEN)
                .contentType(ContentType.JSON)
                .body(
                        "{\"reason\":\"token test\",\"until\":\""
                                + Instant.now().plusSeconds(600)
                                + "\"}")
                .post("/api/v1/regions/europe/drain")
                .then()
                .statusCode(200)
                .body(not(containsString(TOKEN)));
        given().auth().oauth2(TOKEN).delete("/api/v1/regions/europe/drain").then().statusCode(200);
        for (String path :
                new String[] {"/api/v1/status", "/api/v1/plan", "/api/v1/events?limit=1000"}) {
            given().get(path).then().body(not(containsString(TOKEN)));
        }
        Management.given().get("/q/metrics").then().body(not(containsString(TOKEN)));
        assertThat(Files.readString(topology.dataDir().resolve("journal.jsonl")))
                .doesNotContain(TOKEN);
        assertThat(Files.readString(topology.dataDir().resolve("state.json")))
                .doesNotContain(TOKEN);
        synchronized (LOG) {
            assertThat(LOG).isNotEmpty().noneMatch(l -> l.contains(TOKEN));
        }
    }
}
