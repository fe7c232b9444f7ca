package dev.pharos.observation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** The peer exchange over TLS through Quarkus's TLS registry, with a CA made at test time. */
@QuarkusTest
@QuarkusTestResource(value = PeerTlsResource.class, restrictToAnnotatedClass = true)
class PeerTlsTest {

    @TestHTTPResource(value = "/api/v1/observations", tls = true)
    URL observations;

    @Test
    void aPeerWithACertificateFromTheConfiguredCaIsPulledOverTls() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/status")
                                        .then()
                                        .body("peers[0].name", equalTo("vp-b"))
                                        .body("peers[0].reachable", equalTo(true))
                                        .body("quorum.held", equalTo(true)));
        assertThat(PeerTlsResource.trusted.requests("GET"))
                .allSatisfy(
                        r ->
                                assertThat(r.authorization())
                                        .isEqualTo("Bearer " + PeerTlsResource.PEER_TOKEN));
    }

    @Test
    void aPeerWhoseCertificateIsNotTrustedIsUnreachableWithATlsError() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                given().get("/api/v1/status")
                                        .then()
                                        .body("peers[1].name", equalTo("vp-c"))
                                        .body("peers[1].reachable", equalTo(false))
                                        .body("peers[1].lastError", startsWith("pull: TLS:")));
        assertThat(PeerTlsResource.untrusted.requests())
                .as("the token never went to a server we could not verify")
                .isEmpty();
        given().get("/q/metrics")
                .then()
                .body(
                        org.hamcrest.Matchers.containsString(
                                "pharos_peer_exchange_total{direction=\"pull\",outcome=\"tls\",peer=\"vp-c\"}"));
    }

    @Test
    void theExchangeIsServedOverHttpsWithTheConfiguredCertificate() throws Exception {
        assertThat(observations.getProtocol()).isEqualTo("https");
        HttpClient client = HttpClient.newBuilder().sslContext(trusting()).build();
        HttpResponse<String> r =
                client.send(
                        HttpRequest.newBuilder(URI.create(observations.toString()))
                                .header("Authorization", "Bearer " + PeerTlsResource.PEER_TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"vantage\":\"vp-test\"");

        HttpClient untrusting = HttpClient.newBuilder().sslContext(SSLContext.getDefault()).build();
        assertThatThrownBy(
                        () ->
                                untrusting.send(
                                        HttpRequest.newBuilder(URI.create(observations.toString()))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    private static SSLContext trusting() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", PeerTlsResource.pki.ca());
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
