package dev.pharos.observation;

import dev.pharos.probe.TestPki;
import dev.pharos.testing.FakePeer;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The peer exchange over TLS, with certificates generated at test time: Pharos serves https with a
 * certificate from a test CA and trusts only that CA for its peers, all through one Quarkus TLS
 * configuration named "peer". Peer vp-b has a certificate from that CA; peer vp-c has one from
 * another CA and must be refused.
 */
public class PeerTlsResource implements QuarkusTestResourceLifecycleManager {
    static final String PEER_TOKEN = "tls-peer-secret-0123456789";
    static TestPki pki;
    static FakePeer trusted;
    static FakePeer untrusted;
    private LoopbackHttpServer lb;

    @Override
    public Map<String, String> start() {
        try {
            pki = new TestPki("pharos-test-ca");
            TestPki rogue = new TestPki("someone-else");
            Instant now = Instant.now();
            Instant later = now.plus(7, ChronoUnit.DAYS);
            Path dir = Files.createTempDirectory("pharos-tls-test");
            Path ca = pki.writeCaPem(dir.resolve("ca.pem"));
            TestPki.Issued self = pki.issue(now.minusSeconds(60), later, "localhost", "127.0.0.1");
            self.writePem(dir.resolve("pharos.pem"), dir.resolve("pharos-key.pem"));
            trusted =
                    FakePeer.https(
                            "vp-b",
                            "127.0.63.20",
                            pki.issue(now.minusSeconds(60), later, "127.0.63.20").serverContext());
            untrusted =
                    FakePeer.https(
                            "vp-c",
                            "127.0.63.30",
                            rogue.issue(now.minusSeconds(60), later, "127.0.63.30")
                                    .serverContext());
            trusted.votes(Map.of("europe/lb/ipv4", "UP"));
            untrusted.votes(Map.of("europe/lb/ipv4", "UP"));
            lb = new LoopbackHttpServer("127.0.63.1", "europe-lb").start();

            return TestTopology.node("vp-test")
                    .dataDir(dir)
                    .peerTls(ca, "pharos", dir.resolve("pharos.pem"), dir.resolve("pharos-key.pem"))
                    .peer(trusted)
                    .peer(untrusted)
                    .set("pharos.api.peer-token", PEER_TOKEN)
                    .tlsPeerTimings()
                    .region("europe", lb)
                    .dns("none")
                    .properties();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        trusted.close();
        untrusted.close();
        lb.stop();
    }
}
