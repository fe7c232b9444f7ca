package dev.pharos.actuator.lb;

import static dev.pharos.actuator.lb.RelayTopologyResource.backends;
import static dev.pharos.actuator.lb.RelayTopologyResource.get;
import static dev.pharos.actuator.lb.RelayTopologyResource.lbPort;
import static dev.pharos.actuator.lb.RelayTopologyResource.relayPort;
import static dev.pharos.actuator.lb.RelayTopologyResource.via;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Management;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Relays with real HAProxy: a region whose backends die is served by its fallback region through
 * its relay, never through two relays, and nothing relays when every region is down.
 */
@QuarkusTest
@QuarkusTestResource(value = RelayTopologyResource.class, restrictToAnnotatedClass = true)
class RelayFailoverTest {

    @Inject Journal journal;

    static String state(String region) {
        return given().get("/api/v1/regions/" + region).then().extract().path("state");
    }

    static void kill(String region) {
        backends.get(region).forEach(LoopbackHttpServer::stop);
    }

    static void revive(String region) {
        backends.get(region).forEach(LoopbackHttpServer::start);
    }

    @Test
    void deadBackendsAreRelayedToTheFallbackOneHopAtMostAndNeverInALoop() {
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
        assertThat(via("europe")).startsWith("200 served by europe-web");

        // europe's backends die: europe relays to apac, its first fallback
        kill("europe");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> via("europe").startsWith("200 served by apac-web"));
        assertThat(via("europe"))
                .contains("via relay europe")
                .contains("for host cdn.example.test");
        assertThat(state("europe")).isEqualTo("RELAYING");
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/regions/europe")
                                        .then()
                                        .body(
                                                "relay.desiredTarget",
                                                org.hamcrest.Matchers.equalTo("apac"))
                                        .body(
                                                "relay.inRotation",
                                                org.hamcrest.Matchers.equalTo(true))
                                        .body(
                                                "relay.forwardTo",
                                                org.hamcrest.Matchers.equalTo(
                                                        "127.0.102.1:" + lbPort.get("apac"))));
        // the gauge is set when the relay step reports its apply, a moment after HAProxy shows it
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () ->
                                Management.given()
                                        .get("/q/metrics")
                                        .then()
                                        .body(
                                                org.hamcrest.Matchers.containsString(
                                                        "pharos_relay_active{region=\"europe\",target=\"apac\"} 1.0")));

        // a request that already went through a relay is refused: no second hop
        String relayed = get("http://127.0.101.21:" + relayPort.get("europe") + "/", "apac");
        assertThat(relayed).startsWith("503").contains("already relayed");

        // apac's backends die too: both relay to americas, europe's relay moves off apac
        kill("apac");
        await().atMost(Duration.ofSeconds(15))
                .until(
                        () ->
                                via("europe").startsWith("200 served by americas-web")
                                        && via("apac").startsWith("200 served by americas-web"));
        for (int i = 0; i < 20; i++) {
            String e = via("europe");
            String a = via("apac");
            assertThat(e)
                    .startsWith("200 served by americas-web")
                    .contains("via relay europe")
                    .doesNotContain("apac-web");
            assertThat(a).startsWith("200 served by americas-web").contains("via relay apac");
        }

        // all three die: nothing is served and nothing relays (no loop)
        kill("americas");
        await().atMost(Duration.ofSeconds(15))
                .until(
                        () ->
                                given().get("/api/v1/plan")
                                        .then()
                                        .extract()
                                        .jsonPath()
                                        .getList("relays.findAll { it.target != null }")
                                        .isEmpty());
        await().atMost(Duration.ofSeconds(15))
                .until(
                        () ->
                                journal.since(e -> e.type() == EventType.RELAY_OFF, 0, 100).size()
                                        >= 2);
        for (String r : RelayTopologyResource.REGIONS) {
            assertThat(via(r)).startsWith("503").doesNotContain("served by");
        }

        // revive: relays leave rotation once each region is back in DNS (after hold-down)
        RelayTopologyResource.REGIONS.forEach(RelayFailoverTest::revive);
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                via("europe").startsWith("200 served by europe-web")
                                        && via("apac").startsWith("200 served by apac-web")
                                        && via("americas")
                                                .startsWith("200 served by americas-web"));
        // the backends answer again before hold-down takes the relay out of rotation
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/regions/europe")
                                        .then()
                                        .body(
                                                "relay.inRotation",
                                                org.hamcrest.Matchers.equalTo(false)));
        for (int i = 0; i < 10; i++) {
            assertThat(via("europe")).doesNotContain("via relay");
        }
        assertThat(journal.since(e -> e.type() == EventType.RELAY_ON, 0, 100))
                .hasSizeGreaterThanOrEqualTo(3);
    }
}
