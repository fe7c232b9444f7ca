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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/geo} and the status's {@code geo}: what a client gets and why, per location,
 * from the same code the embedded server answers with; checked against {@code dig +subnet} asking
 * that server, before and after a region dies.
 */
@QuarkusTest
@QuarkusTestResource(value = GeoEmbeddedResource.class, restrictToAnnotatedClass = true)
class GeoApiTest {

    @Test
    void explainsEachClientsAnswerAsTheServerGivesItAndFollowsARegionsDeath() throws Exception {
        awaitReady();
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                client("203.0.113.0/24")
                                        .getList("records[0].answers.A.addresses")
                                        .equals(List.of("127.0.76.1")));

        JsonPath fr = client("203.0.113.0/24");
        assertThat(fr.getInt("source")).isEqualTo(24);
        assertThat(fr.getString("database.type")).isEqualTo("Pharos-Test-Country");
        assertThat(fr.getString("database.sha256")).hasSize(64);
        assertThat(fr.getList("database.differs")).isEmpty(); // no peers here
        assertThat(fr.getString("location.country")).isEqualTo("FR");
        assertThat(fr.getString("location.continent")).isEqualTo("EU");
        assertThat(fr.getString("records[0].name")).isEqualTo("www.example.test");
        assertThat(fr.getString("records[0].matched")).isEqualTo("continent EU");
        assertThat(fr.getString("records[0].why")).contains("country FR").contains("continent EU");
        assertThat(fr.getInt("records[0].scope")).isEqualTo(24);
        assertThat(fr.getList("records[0].answers.A.candidates"))
                .containsExactly("europe", "americas", "apac");
        assertThat(fr.getList("records[0].answers.A.skipped")).isEmpty();
        assertThat(dig("203.0.113.0/24")).containsExactly("127.0.76.1");

        // a configured network decides before the database; its prefix is the scope
        JsonPath net = client("198.51.100.7");
        assertThat(net.getInt("source")).isEqualTo(32);
        assertThat(net.getString("records[0].matched")).isEqualTo("net 198.51.100.0/24");
        assertThat(net.getInt("records[0].scope")).isEqualTo(24);
        assertThat(net.getList("records[0].answers.A.addresses")).containsExactly("127.0.77.1");
        // a country-only database entry gets its continent from the built-in table
        JsonPath us = client("2001:db8:200::/48");
        assertThat(us.getString("records[0].matched")).isEqualTo("continent NA");
        assertThat(us.getInt("records[0].scope")).isEqualTo(40);
        assertThat(us.getList("records[0].answers.A.addresses")).containsExactly("127.0.78.1");
        // Antarctica has no list in the built-in map: unknown, every region in DNS
        JsonPath aq = client("192.0.2.128/25");
        assertThat(aq.getString("records[0].matched")).isEqualTo("unknown");
        assertThat(aq.getString("records[0].why")).contains("continent AN").contains("no list");
        assertThat(aq.getList("records[0].answers.A.addresses")).hasSize(3);
        // IPv4-mapped: located as IPv4, scope in IPv6 terms
        JsonPath mapped = client("::ffff:192.0.2.0/121");
        assertThat(mapped.getString("records[0].matched")).isEqualTo("continent AS");
        assertThat(mapped.getInt("records[0].scope")).isEqualTo(121);
        // source 0: not located
        assertThat(client("0.0.0.0/0").getString("records[0].matched")).isEqualTo("unknown");

        // europe dies: its clients walk on to americas, and say why europe was skipped
        GeoEmbeddedResource.lbs.get(0).stop();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    client("203.0.113.0/24")
                                            .getList("records[0].answers.A.addresses")
                                            .equals(List.of("127.0.78.1")));
            JsonPath dead = client("203.0.113.0/24");
            List<Map<String, String>> skipped = dead.getList("records[0].answers.A.skipped");
            assertThat(skipped).hasSize(1);
            assertThat(skipped.get(0)).containsEntry("region", "europe");
            assertThat(skipped.get(0).get("why")).contains("out of DNS for ipv4").contains("dead");
            assertThat(dig("203.0.113.0/24")).containsExactly("127.0.78.1");

            // the status lists every location's current answer with the same reasons (waited
            // for: on a loaded machine another region's probe may time out for a moment)
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> {
                                JsonPath status =
                                        given().get("/api/v1/status")
                                                .then()
                                                .statusCode(200)
                                                .extract()
                                                .jsonPath();
                                assertThat(status.getString("geo[0].name"))
                                        .isEqualTo("www.example.test");
                                List<String> labels = status.getList("geo[0].locations.location");
                                assertThat(labels)
                                        .startsWith("net 198.51.100.0/24")
                                        .contains(
                                                "continent EU",
                                                "continent AS",
                                                "continent AN (no list: unknown)")
                                        .endsWith("unknown");
                                assertThat(
                                                status.getList(
                                                        "geo[0].locations.find { it.location == 'continent AF' }"
                                                                + ".answers.A.addresses"))
                                        .containsExactly("127.0.78.1");
                                assertThat(
                                                status.getList(
                                                        "geo[0].locations.find { it.location == 'continent AS' }"
                                                                + ".answers.A.addresses"))
                                        .containsExactly("127.0.77.1");
                                assertThat(
                                                status.getList(
                                                        "geo[0].locations.find { it.location == 'unknown' }"
                                                                + ".answers.A.addresses"))
                                        .containsExactlyInAnyOrder("127.0.77.1", "127.0.78.1");
                            });
            List<String> labels =
                    given().get("/api/v1/status").jsonPath().getList("geo[0].locations.location");
            JsonPath listing =
                    given().get("/api/v1/geo").then().statusCode(200).extract().jsonPath();
            assertThat(listing.getList("records[0].locations.location")).isEqualTo(labels);
            assertThat(listing.getString("database.file"))
                    .isEqualTo(GeoEmbeddedResource.database.toString());
        } finally {
            GeoEmbeddedResource.lbs.get(0).start();
        }
    }

    @Test
    void badClientsAreProblems() {
        for (String bad :
                List.of(
                        "",
                        "nowhere.example",
                        "198.51.100.7/33",
                        "198.51.100.7/24",
                        "2001:db8::1/x",
                        "fe80::1%eth0",
                        "198.51.100")) {
            var r = given().queryParam("client", bad).get("/api/v1/geo");
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.contentType()).as(bad).startsWith("application/problem+json");
            assertThat(r.jsonPath().getString("detail")).as(bad).startsWith("client: ");
        }
    }
}
