package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.GeoServerResource.awaitReady;
import static dev.pharos.actuator.dns.embedded.GeoServerResource.client;
import static dev.pharos.actuator.dns.embedded.GeoServerResource.dig;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Distance mode through the real embedded server ({@code dig +subnet}) and {@code GET
 * /api/v1/geo?client=}: clients in Singapore, Frankfurt and Chicago get apac, europe and americas;
 * when apac dies the Singapore client gets the next nearest (europe, not apac's first fallback).
 */
@QuarkusTest
@QuarkusTestResource(value = GeoDistanceResource.class, restrictToAnnotatedClass = true)
class GeoDistanceApiTest {
    private static final String SINGAPORE = "192.0.2.0/25";
    private static final String FRANKFURT = "203.0.113.0/24";
    private static final String CHICAGO = "2001:db8:200::/48";

    @Test
    void eachClientGetsItsNearestRegionAndTheNextNearestWhenItDies() throws Exception {
        awaitReady();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(dig(SINGAPORE)).containsExactly("127.0.143.1"));
        assertThat(dig(FRANKFURT)).containsExactly("127.0.142.1");
        assertThat(dig(CHICAGO)).containsExactly("127.0.144.1");

        JsonPath sg = client(SINGAPORE);
        assertThat(sg.getDouble("location.latitude")).isEqualTo(1.29);
        assertThat(sg.getString("records[0].matched"))
                .matches("nearest by distance: apac \\(\\d+ km\\)");
        assertThat(sg.getString("records[0].why"))
                .contains("distance mode")
                .containsPattern(
                        "apac \\(\\d+ km\\), europe \\(\\d+ km\\), americas \\(\\d+ km\\)");
        assertThat(sg.getInt("records[0].scope")).isEqualTo(25);
        assertThat(sg.getList("records[0].answers.A.candidates"))
                .containsExactly("apac", "europe", "americas");
        assertThat(client(CHICAGO).getString("records[0].matched"))
                .startsWith("nearest by distance: americas");

        GeoDistanceResource.lbs.get(1).stop();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(dig(SINGAPORE)).containsExactly("127.0.142.1"));
            JsonPath dead = client(SINGAPORE);
            assertThat(dead.getList("records[0].answers.A.addresses"))
                    .containsExactly("127.0.142.1");
            assertThat(dead.getList("records[0].answers.A.skipped.region")).containsExactly("apac");
            // the status: what a client at each region's own coordinates gets
            JsonPath status =
                    given().get("/api/v1/status").then().statusCode(200).extract().jsonPath();
            assertThat(status.getList("geo[0].locations.location"))
                    .contains("distance: a client at apac (1.35, 103.82), nearest first");
        } finally {
            GeoDistanceResource.lbs.get(1).start();
        }
    }
}
