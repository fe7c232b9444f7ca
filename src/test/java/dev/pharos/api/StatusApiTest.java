package dev.pharos.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import dev.pharos.alert.Notifier;
import dev.pharos.reconcile.Actuators;
import dev.pharos.reconcile.Pipeline;
import dev.pharos.testing.Management;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@QuarkusTest
@QuarkusTestResource(value = TwoRegionsResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusApiTest {
    @Inject BeanManager beans;

    /**
     * The pipeline's first step offers its desired state to the actuators once; after a restart
     * that state is restored and never changes again, so the actuators must exist before that step.
     * CDI calls startup observers in priority order: a lower number first.
     */
    @Test
    void actuatorsAndNotifierStartBeforeThePipeline() {
        Map<Class<?>, Integer> priority = new HashMap<>();
        for (ObserverMethod<? super StartupEvent> o :
                beans.resolveObserverMethods(new StartupEvent())) {
            priority.put(o.getBeanClass(), o.getPriority());
        }
        assertThat(priority).containsKeys(Actuators.class, Notifier.class, Pipeline.class);
        assertThat(priority.get(Actuators.class)).isLessThan(priority.get(Pipeline.class));
        assertThat(priority.get(Notifier.class)).isLessThan(priority.get(Pipeline.class));
    }

    private static String verdict(String region, String targetId) {
        return given().get("/api/v1/regions/" + region)
                .then()
                .statusCode(200)
                .extract()
                .path("targets.find { it.id == '" + targetId + "' }.verdict.health");
    }

    @Test
    @Order(1)
    void becomesReadyWithRealProbeResults() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
        // ready comes after one warm-up round; a region is HEALTHY after `rise` (2) good results,
        // which may be a round later: wait for one status snapshot that shows both
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/status")
                                        .then()
                                        .statusCode(200)
                                        .body("node", equalTo("vp-test"))
                                        .body("ready", equalTo(true))
                                        .body("quorum.held", equalTo(true))
                                        .body("regions.name", hasItems("europe", "apac"))
                                        .body(
                                                "regions.find { it.name == 'europe' }.state",
                                                equalTo("HEALTHY")));
        given().get("/api/v1/regions/europe")
                .then()
                .statusCode(200)
                .body("targets.id", hasItems("europe/lb/ipv4", "europe/backend/web1"))
                .body("targets[0].vantagePoints[0].vantage", equalTo("vp-test"))
                .body("targets[0].vantagePoints[0].last.success", equalTo(true))
                .body("targets[0].vantagePoints[0].last.totalMs", notNullValue())
                .body("targets[0].probe.intervalMs", equalTo(200))
                .body("targets[0].verdict.health", equalTo("UP"));
    }

    @Test
    @Order(2)
    void unknownRegionIsAProblem404() {
        given().get("/api/v1/regions/atlantis")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("detail", containsString("atlantis"));
        given().get("/api/v1/no-such-thing")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    @Order(3)
    void healthAndMetricsAreServedOnTheManagementInterfaceOnly() {
        // their own server: a busy API never fails liveness, and the API port can be published
        // to peers without publishing metrics
        given().get("/q/health/live").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        Management.given().get("/q/health/live").then().statusCode(200);
        Management.given()
                .get("/q/health/group/cdn")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        Management.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("pharos_probe_results_total{"))
                .body(containsString("result=\"refused\""))
                .body(containsString("pharos_probe_duration_seconds_bucket{"))
                .body(containsString("pharos_vote{"))
                .body(containsString("pharos_region_state{"));
    }

    @Test
    @Order(4)
    void aStoppedServerTurnsItsTargetDownAndItsRegionDeadThenBackUp() {
        TwoRegionsResource.europeLb.stop();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "DOWN".equals(verdict("europe", "europe/lb/ipv4")));
        given().get("/api/v1/regions/europe")
                .then()
                .body("state", equalTo("DEAD"))
                .body("targets[0].vantagePoints[0].last.reason", equalTo("REFUSED"))
                .body("targets[0].verdict.reason", containsString("DOWN: 1 of 1 vantage points"));
        Management.given().get("/q/health/group/cdn").then().statusCode(503);
        // the pipeline publishes its state a moment before it updates the metrics
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                Management.given()
                                        .get("/q/metrics")
                                        .then()
                                        .body(
                                                containsString(
                                                        "pharos_region_state{region=\"europe\",state=\"dead\"} 1.0")));

        TwoRegionsResource.europeLb.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "UP".equals(verdict("europe", "europe/lb/ipv4")));
        given().get("/api/v1/regions/europe").then().body("state", equalTo("HEALTHY"));
    }

    @Test
    @Order(5)
    void aDeadBackendBehindALiveLoadBalancerMakesTheRegionDeadWithoutARelay() {
        TwoRegionsResource.europeWeb1.status(503);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> "DOWN".equals(verdict("europe", "europe/backend/web1")));
            given().get("/api/v1/regions/europe")
                    .then()
                    .body("state", equalTo("DEAD"))
                    .body("reason", containsString("no relay"))
                    .body("targets[1].vantagePoints[0].last.reason", equalTo("STATUS"));
        } finally {
            TwoRegionsResource.europeWeb1.status(200);
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "UP".equals(verdict("europe", "europe/backend/web1")));
    }

    @Test
    @Order(6)
    void theHistoryHasTheLastHourOfEachTargetWithTheFailuresOfTheStoppedServer() {
        io.restassured.path.json.JsonPath all =
                given().get("/api/v1/history").then().statusCode(200).extract().jsonPath();
        assertThat(all.getString("node")).isEqualTo("vp-test");
        assertThat(all.getInt("bucketSeconds")).isEqualTo(10);
        assertThat(
                        Duration.between(
                                java.time.Instant.parse(all.getString("from")),
                                java.time.Instant.parse(all.getString("to"))))
                .isEqualTo(Duration.ofHours(1));
        assertThat(all.getList("targets.id", String.class))
                .contains("europe/lb/ipv4", "europe/backend/web1");
        // order 4 stopped europe's load balancer until its vote was DOWN, then started it again
        io.restassured.path.json.JsonPath lb =
                given().queryParam("target", "europe/lb/ipv4")
                        .get("/api/v1/history")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        assertThat(lb.getList("targets")).hasSize(1);
        java.util.List<Integer> probes = lb.getList("targets[0].probes", Integer.class);
        java.util.List<Integer> failed = lb.getList("targets[0].failed", Integer.class);
        java.util.List<Float> mean = lb.getList("targets[0].meanMs", Float.class);
        assertThat(probes).hasSize(360);
        assertThat(failed).hasSize(360);
        assertThat(mean).hasSize(360);
        assertThat(failed.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(2);
        assertThat(probes.stream().mapToInt(Integer::intValue).sum())
                .isGreaterThan(failed.stream().mapToInt(Integer::intValue).sum());
        assertThat(mean).anyMatch(m -> m != null && m > 0);
        // a bucket without any probe has no latency
        for (int i = 0; i < probes.size(); i++) {
            if (probes.get(i).equals(failed.get(i))) {
                assertThat(mean.get(i)).isNull();
            }
        }
        given().queryParam("target", "atlantis/lb/ipv4")
                .get("/api/v1/history")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("atlantis"));
    }
}
