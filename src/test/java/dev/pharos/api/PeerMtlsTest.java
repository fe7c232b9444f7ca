package dev.pharos.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.pharos.testing.Management;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Mutual TLS as the peers' identity, with certificates made by openssl at test time. */
@QuarkusTest
@QuarkusTestResource(value = PeerMtlsResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerMtlsTest {

    @TestHTTPResource(value = "/api/v1/observations", tls = true)
    URL observations;

    @Test
    @Order(1)
    void theExchangeWorksWithCertificatesAloneBothWays() throws Exception {
        // vp2 requires a client certificate from the CA: reachable means vp1 presented its own
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/status")
                                        .then()
                                        .body("peers[0].name", equalTo("vp2"))
                                        .body("peers[0].reachable", equalTo(true))
                                        .body("quorum.held", equalTo(true)));
        assertThat(PeerMtlsResource.vp2.requests("GET"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).as("no token is sent").isNull());

        HttpResponse<String> pull = send(PeerMtlsResource.pki.context("vp2"), null);
        assertThat(pull.statusCode()).isEqualTo(200);
        assertThat(pull.body()).contains("\"vantage\":\"vp1\"");
        HttpResponse<String> push =
                send(PeerMtlsResource.pki.context("vp2"), PeerMtlsResource.vp2.snapshotJson());
        assertThat(push.statusCode()).as(push.body()).isEqualTo(204);
    }

    @Test
    @Order(2)
    void aSnapshotInAnotherVantagePointsNameIsRefusedCountedAndJournaled() throws Exception {
        String forged = PeerMtlsResource.vp2.snapshotJson().replace("\"vp2\"", "\"vp3\"");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = send(PeerMtlsResource.pki.context("vp2"), forged);
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(r.body())
                    .contains("a snapshot of vantage point 'vp3' sent with vp2's credential");
        }
        assertThat(Management.given().get("/q/metrics").then().extract().asString())
                .containsPattern(
                        "pharos_peer_refused_total\\{caller=\"vp2\",reason=\"vantage\"\\} 3.0");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                given().queryParam("type", "PEER_REFUSED")
                                        .get("/api/v1/events")
                                        .then()
                                        .body(
                                                "events.findAll { it.data.caller == 'vp2' }.size()",
                                                equalTo(1)));
    }

    @Test
    @Order(3)
    void aCertificateFromTheCaNamingNoConfiguredPeerOrNoCertificateIs401() throws Exception {
        HttpResponse<String> rogue = send(PeerMtlsResource.pki.context("vp3"), null);
        assertThat(rogue.statusCode()).isEqualTo(401);
        HttpResponse<String> none = send(PeerMtlsResource.pki.context(null), null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body())
                .contains("a bearer token or a client certificate naming a peer is required");
        HttpResponse<String> forged =
                send(
                        PeerMtlsResource.pki.context("vp3"),
                        PeerMtlsResource.vp2.snapshotJson().replace("\"vp2\"", "\"vp3\""));
        assertThat(forged.statusCode()).as("vp3 is no configured peer").isEqualTo(401);
        assertThat(Management.given().get("/q/metrics").then().extract().asString())
                .containsPattern(
                        "pharos_peer_refused_total\\{caller=\"unknown\",reason=\"token\"\\} [3-9]");
    }

    @Test
    @Order(4)
    void aCertificateFromAnotherCaIsRefusedByTheHandshake() throws Exception {
        Throwable t =
                catchThrowable(
                        () -> send(PeerMtlsResource.elsewhere.context("vp2-elsewhere"), null));
        assertThat(t).as("no HTTP answer at all").isInstanceOf(IOException.class);
    }

    private HttpResponse<String> send(SSLContext tls, String body) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(observations.toString()))
                        .timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
