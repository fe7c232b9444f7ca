package dev.pharos.actuator.lb.linode;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.pharos.actuator.linode.LinodeAppResource;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/regions/{name} shows the NodeBalancer's own view of its nodes beside Pharos's probes,
 * read in the background (every 300 ms here) from the emulator.
 */
@QuarkusTest
@QuarkusTestResource(value = LinodeAppResource.class, restrictToAnnotatedClass = true)
class NodeBalancerSecondOpinionTest {

    @BeforeEach
    void spec() {
        LinodeSpec.require();
    }

    @AfterEach
    void restore() {
        LinodeAppResource.emulator.setHealth(LinodeAppResource.web1, "UP");
        assertThat(LinodeAppResource.emulator.violations()).isEmpty();
    }

    private static JsonPath europe() {
        return given().get("/api/v1/regions/europe").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theRegionViewShowsEachNodesModeAndLinodesStatus() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/regions/europe")
                                        .then()
                                        .body(
                                                "loadBalancer.provider",
                                                org.hamcrest.Matchers.is("linode"))
                                        .body("loadBalancer.readAt", notNullValue())
                                        .body(
                                                "loadBalancer.nodes.label",
                                                hasItems("europe-web1", "europe-relay")));
        JsonPath j = europe();
        assertThat(j.getString("loadBalancer.label")).isEqualTo("nb-europe");
        assertThat(j.getString("loadBalancer.id")).isEqualTo("" + LinodeAppResource.nodeBalancer);
        assertThat(j.getString("loadBalancer.nodes.find { it.label == 'europe-web1' }.status"))
                .isEqualTo("UP");
        assertThat(j.getString("loadBalancer.nodes.find { it.label == 'europe-web1' }.mode"))
                .isEqualTo("accept");
        assertThat(j.getString("loadBalancer.nodes.find { it.label == 'europe-web1' }.address"))
                .isEqualTo("127.0.87.11:80");
        assertThat(j.getString("loadBalancer.nodes.find { it.label == 'europe-relay' }.mode"))
                .isEqualTo("reject");
        assertThat(j.getString("loadBalancer.nodes.find { it.label == 'europe-relay' }.status"))
                .isEqualTo("DOWN");
        assertThat(j.getInt("loadBalancer.nodes[0].port")).isEqualTo(80);
        // Pharos's own probes of the same region are still there, beside it
        assertThat(j.getList("targets.id")).contains("europe/lb/ipv4", "europe/relay");
    }

    @Test
    void aNodeLinodeSeesDownShowsDownAtTheNextRead() {
        LinodeAppResource.emulator.setHealth(LinodeAppResource.web1, "DOWN");
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(
                                                europe().getString(
                                                                "loadBalancer.nodes.find { it.label == 'europe-web1' }.status"))
                                        .isEqualTo("DOWN"));
    }

    @Test
    void aRegionWithoutANodeBalancerHasNoSuchBlockAndTheSummaryHasNone() {
        given().get("/api/v1/regions/apac")
                .then()
                .statusCode(200)
                .body("loadBalancer", nullValue());
        given().get("/api/v1/status")
                .then()
                .statusCode(200)
                .body("regions[0].loadBalancer", nullValue());
    }
}
