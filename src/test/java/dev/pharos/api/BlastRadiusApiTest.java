package dev.pharos.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.pharos.testing.Management;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The blast-radius guard holds back a second removal until an operator confirms it. */
@QuarkusTest
@QuarkusTestResource(value = BlastRadiusResource.class, restrictToAnnotatedClass = true)
class BlastRadiusApiTest {

    private static List<String> cdn() {
        return given().get("/api/v1/plan")
                .then()
                .extract()
                .jsonPath()
                .getList("desired.find { it.key.name == 'cdn.example.test' }.values");
    }

    @Test
    void aSecondRemovalWaitsForConfirmation() {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
        BlastRadiusResource.lbs.get(0).stop();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> cdn().equals(List.of("127.0.62.2", "127.0.62.3")));

        BlastRadiusResource.lbs.get(1).stop();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/plan")
                                        .then()
                                        .body("guards.guard", hasItem("blast-radius"))
                                        .body(
                                                "guards.find { it.guard == 'blast-radius' }.region",
                                                equalTo("b"))
                                        .body(
                                                "guards.find { it.guard == 'blast-radius' }.message",
                                                containsString("POST /api/v1/plan/confirm")));
        // held back: b stays published although it is dead
        await().during(Duration.ofMillis(800))
                .atMost(Duration.ofSeconds(5))
                .until(() -> cdn().equals(List.of("127.0.62.2", "127.0.62.3")));
        given().get("/api/v1/events?type=guard_fired&region=b")
                .then()
                .body("events.size()", equalTo(1));
        // what holds b back is visible with its expiry, in the plan and in the status: a's
        // removal spends the budget until the window passes or a is back in DNS
        for (String view : List.of("/api/v1/plan", "/api/v1/status")) {
            given().get(view)
                    .then()
                    .body("holds.find { it.kind == 'blast-radius-window' }.region", equalTo("a"))
                    .body("holds.find { it.kind == 'blast-radius-window' }.until", notNullValue())
                    .body(
                            "holds.find { it.kind == 'blast-radius-window' }.reason",
                            containsString("counts against max-removals 1"))
                    .body(
                            "holds.find { it.kind == 'removed' && it.region == 'a' }.family",
                            equalTo("ipv4"));
        }
        given().get("/api/v1/status")
                .then()
                .body("guards.find { it.guard == 'blast-radius' }.region", equalTo("b"));

        given().contentType(ContentType.JSON)
                .body("{\"regions\":[\"b\"]}")
                .post("/api/v1/plan/confirm")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(BlastRadiusResource.ADMIN)
                .contentType(ContentType.JSON)
                .body("{\"regions\":[\"c\"]}")
                .post("/api/v1/plan/confirm")
                .then()
                .statusCode(409)
                .body("detail", containsString("not waiting for confirmation: c"));
        given().auth()
                .oauth2(BlastRadiusResource.ADMIN)
                .contentType(ContentType.JSON)
                .body("{\"regions\":[\"b\"]}")
                .post("/api/v1/plan/confirm")
                .then()
                .statusCode(200)
                .body("confirmed", equalTo(List.of("b")));
        await().atMost(Duration.ofSeconds(20)).until(() -> cdn().equals(List.of("127.0.62.3")));
        given().get("/api/v1/events?type=confirmed")
                .then()
                .body("events[0].message", containsString("admin confirmed the removal of b"));
    }
}
