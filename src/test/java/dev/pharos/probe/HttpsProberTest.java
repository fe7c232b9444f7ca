package dev.pharos.probe;

import static dev.pharos.probe.RawServer.readHead;
import static dev.pharos.probe.RawServer.response;
import static dev.pharos.probe.RawServer.write;
import static dev.pharos.probe.TestTargets.await;
import static dev.pharos.probe.TestTargets.https;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsProberTest {
    private static TestPki pki;
    private static TestPki.Issued valid;
    private static TestPki.Issued expired;
    @TempDir static Path dir;
    private static Path caPem;

    private Vertx vertx;
    private HttpProber prober;
    private RawServer server;

    /** The SNI each TLS connection asked for ("" for none). */
    private final List<String> sniSeen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void issueCertificates() throws Exception {
        Instant now = Instant.now();
        pki = new TestPki("Pharos Test CA");
        valid =
                pki.issue(
                        now.minus(1, ChronoUnit.DAYS),
                        now.plus(10, ChronoUnit.DAYS),
                        "service.test",
                        "127.0.51.6");
        expired =
                pki.issue(
                        now.minus(10, ChronoUnit.DAYS),
                        now.minus(1, ChronoUnit.DAYS),
                        "service.test");
        caPem = pki.writeCaPem(dir.resolve("ca.pem"));
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        prober = new HttpProber(vertx, Clock.systemUTC(), Optional.empty());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        await(prober.close());
        await(vertx.close());
    }

    /** A TLS server answering every request with the given response. */
    private RawServer serve(String address, TestPki.Issued cert, String response) throws Exception {
        SSLContext ctx = cert.serverContext();
        return RawServer.start(
                address,
                s -> {
                    try (SSLSocket tls =
                            (SSLSocket)
                                    ctx.getSocketFactory()
                                            .createSocket(s, null, s.getPort(), true)) {
                        tls.setUseClientMode(false);
                        tls.startHandshake();
                        sniSeen.add(sni(tls));
                        readHead(tls);
                        write(tls, response);
                    }
                });
    }

    private static String sni(SSLSocket tls) {
        for (SNIServerName n : ((ExtendedSSLSession) tls.getSession()).getRequestedServerNames()) {
            if (n instanceof SNIHostName host) {
                return host.getAsciiName();
            }
        }
        return "";
    }

    private ProbeResult probe(TestTargets.Spec spec) throws Exception {
        return await(prober.probe(spec.target(server.address(), server.port())));
    }

    @Test
    void certificateFromTheConfiguredCaIsVerifiedAndItsExpiryRecorded() throws Exception {
        server = serve("127.0.51.1", valid, response(200, "OK", "healthy"));

        ProbeResult r = probe(https().host("service.test").caFile(caPem).body("healthy"));

        assertThat(r.success()).as(r.detail()).isTrue();
        assertThat(r.certNotAfter()).contains(valid.certificate().getNotAfter().toInstant());
        PhaseTimings t = r.timings();
        assertThat(t.connectMicros()).isGreaterThanOrEqualTo(0);
        assertThat(t.tlsMicros()).isGreaterThanOrEqualTo(t.connectMicros());
        assertThat(t.firstByteMicros()).isGreaterThanOrEqualTo(t.tlsMicros());
        assertThat(t.totalMicros()).isGreaterThanOrEqualTo(t.firstByteMicros());
    }

    @Test
    void certificateFromAnUnknownCaIsReportedAsTls() throws Exception {
        server = serve("127.0.51.2", valid, response(200, "OK", "healthy"));

        ProbeResult r = probe(https().host("service.test"));

        assertThat(r.reason()).contains(FailureReason.TLS);
        assertThat(r.detail()).isEqualTo("certificate not trusted");
        assertThat(r.timings().tlsMicros()).isEqualTo(PhaseTimings.NOT_REACHED);
    }

    @Test
    void expiredCertificateIsReportedAsTlsWhenVerifying() throws Exception {
        server = serve("127.0.51.3", expired, response(200, "OK", "healthy"));

        ProbeResult r = probe(https().host("service.test").caFile(caPem));

        assertThat(r.reason()).contains(FailureReason.TLS);
        assertThat(r.detail()).isEqualTo("certificate expired");
    }

    @Test
    void expiredCertificateIsAcceptedWithoutVerificationButItsExpiryShows() throws Exception {
        server = serve("127.0.51.4", expired, response(200, "OK", "healthy"));

        ProbeResult r = probe(https().host("service.test").tlsVerify(false));

        assertThat(r.success()).as(r.detail()).isTrue();
        assertThat(r.certNotAfter()).contains(expired.certificate().getNotAfter().toInstant());
        assertThat(r.certNotAfter().get()).isBefore(Instant.now());
    }

    @Test
    void certificateForAnotherHostNameIsReportedAsTls() throws Exception {
        server = serve("127.0.51.5", valid, response(200, "OK", "healthy"));

        ProbeResult r = probe(https().host("other.test").caFile(caPem));

        assertThat(r.reason()).contains(FailureReason.TLS);
        assertThat(r.detail()).isEqualTo("certificate does not match the host name");
    }

    @Test
    void serverReceivesTheConfiguredSniAndNoneForAnIpLiteral() throws Exception {
        server = serve("127.0.51.6", valid, response(200, "OK", "healthy"));

        ProbeResult named = probe(https().host("web.test").sni("service.test").caFile(caPem));
        // No host configured: the Host header and the verified name are the IP, and no SNI.
        ProbeResult ip = probe(https().caFile(caPem));

        assertThat(named.success()).as(named.detail()).isTrue();
        assertThat(ip.success()).as(ip.detail()).isTrue();
        assertThat(sniSeen).containsExactly("service.test", "");
    }

    @Test
    void statusFailureAfterTheHandshakeStillRecordsTheCertificateExpiry() throws Exception {
        server = serve("127.0.51.7", valid, response(503, "Service Unavailable", ""));

        ProbeResult r = probe(https().host("service.test").caFile(caPem));

        assertThat(r.reason()).contains(FailureReason.STATUS);
        assertThat(r.certNotAfter()).contains(valid.certificate().getNotAfter().toInstant());
    }

    @Test
    void plainHttpServerOnAnHttpsTargetIsReportedAsTls() throws Exception {
        server =
                RawServer.start(
                        "127.0.51.8", s -> write(s, response(400, "Bad Request", "plain http")));

        ProbeResult r = probe(https().host("service.test").tlsVerify(false));

        assertThat(r.reason()).as(r.detail()).contains(FailureReason.TLS);
    }
}
