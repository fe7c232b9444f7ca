package dev.pharos.observation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.testing.Tools;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Content checks end to end: real HAProxy regions whose web servers serve different trace files and
 * manifests (ContentRegionsResource). apac's content is three hours old and an older release:
 * STALE, and the region DEGRADED with the reason {@code stale content}; europe and americas FRESH
 * and HEALTHY. When apac's web servers get the fresh trace and manifest (as after a sync), it is
 * FRESH and HEALTHY again.
 */
@QuarkusTest
@QuarkusTestResource(value = ContentRegionsResource.class, restrictToAnnotatedClass = true)
class StaleContentHaproxyTest {
    private static JsonPath status() {
        return given().get("/api/v1/status").then().statusCode(200).extract().jsonPath();
    }

    private static String at(JsonPath s, String region, String field) {
        return s.getString("regions.find { it.name == '" + region + "' }." + field);
    }

    @Test
    void aStaleRegionIsDegradedWithItsReasonUntilItIsSyncedAgain() {
        Tools.require("haproxy", "haproxy");
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            // one snapshot for every fact
                            JsonPath s = status();
                            assertThat(at(s, "apac", "content.state")).isEqualTo("STALE");
                            assertThat(at(s, "apac", "state")).isEqualTo("DEGRADED");
                            assertThat(at(s, "apac", "reason")).startsWith("stale content");
                            for (String fresh : new String[] {"europe", "americas"}) {
                                assertThat(at(s, fresh, "content.state"))
                                        .as(fresh)
                                        .isEqualTo("FRESH");
                                assertThat(at(s, fresh, "state")).as(fresh).isEqualTo("HEALTHY");
                            }
                            assertThat(Long.parseLong(at(s, "apac", "content.ageSeconds")))
                                    .isBetween(3 * 3600L, 4 * 3600L);
                            assertThat(at(s, "apac", "content.version"))
                                    .isNotEqualTo(at(s, "europe", "content.version"));
                            assertThat(at(s, "europe", "content.version"))
                                    .isEqualTo(at(s, "americas", "content.version"));
                        });
        // the region detail has this vantage point's check of the load balancer and each backend;
        // each target's check runs on its own schedule, so the last one may land a moment later
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            JsonPath detail =
                                    given().get("/api/v1/regions/apac")
                                            .then()
                                            .statusCode(200)
                                            .extract()
                                            .jsonPath();
                            assertThat(detail.getList("content.checks.target", String.class))
                                    .containsExactlyInAnyOrder(
                                            "apac/content/lb-ipv4",
                                            "apac/content/web1",
                                            "apac/content/web2");
                        });

        ContentRegionsResource.serve("apac", Instant.now(), "release-2");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            JsonPath s = status();
                            assertThat(at(s, "apac", "content.state")).isEqualTo("FRESH");
                            assertThat(at(s, "apac", "state")).isEqualTo("HEALTHY");
                            assertThat(at(s, "apac", "content.version"))
                                    .isEqualTo(at(s, "europe", "content.version"));
                        });
    }
}
