package dev.pharos.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input gets 400 problem JSON naming the field and its limit, never 404 or 500. */
@QuarkusTest
@QuarkusTestResource(value = AllTokensResource.class, restrictToAnnotatedClass = true)
class BadInputApiTest {
    private static RequestSpecification as(TokenKind kind) {
        return given().auth().oauth2(AllTokensResource.TOKENS.get(kind));
    }

    @Test
    void aDrainLongerThanTheLimitIsA400NamingTheFieldAndTheLimit() {
        for (String duration : List.of("10000000000000d", "31d", "P3650D", "99999999999h")) {
            as(TokenKind.ADMIN)
                    .contentType(ContentType.JSON)
                    .body("{\"reason\":\"x\",\"duration\":\"" + duration + "\"}")
                    .post("/api/v1/regions/europe/drain")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", allOf(containsString("'duration'"), containsString("30 days")));
        }
        as(TokenKind.ADMIN)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"x\",\"until\":\"+999999999-12-31T00:00:00Z\"}")
                .post("/api/v1/regions/europe/drain")
                .then()
                .statusCode(400)
                .body("detail", allOf(containsString("'until'"), containsString("30 days")));
        // refused, so nothing was drained (the region may still be UNKNOWN this early)
        as(TokenKind.READ)
                .get("/api/v1/regions/europe")
                .then()
                .body("state", not(equalTo("DRAINED")));
    }

    @Test
    void nonNumericPagingParametersAre400NotFound() {
        String[][] cases = {
            {"limit=abc", "'limit'"},
            {"limit=0", "'limit'"},
            {"limit=1001", "'limit'"},
            {"before=abc", "'before'"},
            {"after=1e3", "'after'"},
            {"before=-1", "'before'"},
            {"limit=99999999999999999999", "'limit'"},
        };
        for (String[] c : cases) {
            as(TokenKind.READ)
                    .get("/api/v1/events?" + c[0])
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("detail", containsString(c[1]));
        }
        as(TokenKind.READ).get("/api/v1/events?limit=5&before=1000").then().statusCode(200);
    }

    @Test
    void startedAtIsWhenTheProcessStartedNotTheFirstStatusRequest() {
        // the pipeline journals STARTED in its first round; a loaded machine may take a while
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                !as(TokenKind.READ)
                                        .get("/api/v1/events?type=started&limit=1")
                                        .then()
                                        .extract()
                                        .<List<Object>>path("events")
                                        .isEmpty());
        Instant journaledStart =
                Instant.parse(
                        as(TokenKind.READ)
                                .get("/api/v1/events?type=started&limit=1")
                                .then()
                                .extract()
                                .path("events[0].time"));
        Instant askedAt = Instant.now();
        Instant startedAt =
                Instant.parse(
                        as(TokenKind.READ)
                                .get("/api/v1/status")
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("startedAt"));
        assertThat(startedAt).isBefore(askedAt).isBeforeOrEqualTo(journaledStart);
        assertThat(Duration.between(startedAt, journaledStart)).isLessThan(Duration.ofSeconds(30));
    }
}
