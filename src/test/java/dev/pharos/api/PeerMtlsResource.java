package dev.pharos.api;

import dev.pharos.testing.FakePeer;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.OpensslPki;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * Pharos as vp1 with mutual TLS as the peers' identity ({@code pharos.api.peer-mtls}) and no tokens
 * at all, certificates made at test time by {@code openssl}: a CA "peers-ca" that issued vp1, vp2
 * and a rogue "vp3" (a name no instance configures), and a CA "elsewhere" that issued another
 * certificate naming vp2. The peer vp2 is faked by an https server that requires a client
 * certificate from peers-ca, so a successful pull shows that vp1 presents its key pair.
 */
public class PeerMtlsResource implements QuarkusTestResourceLifecycleManager {
    static OpensslPki pki;
    static OpensslPki elsewhere;
    static FakePeer vp2;
    static Path dataDir;
    private LoopbackHttpServer lb;

    @Override
    public Map<String, String> start() {
        try {
            TestTopology t = TestTopology.node("vp1").freshDataDir();
            dataDir = t.dataDir();
            Path certs = java.nio.file.Files.createDirectories(dataDir.resolve("certs"));
            pki = new OpensslPki(certs, "peers-ca");
            pki.issue("vp1", "vp1", "DNS:vp1", "IP:127.0.0.1");
            pki.issue("vp2", "vp2", "DNS:vp2", "IP:127.0.64.20");
            pki.issue("vp3", "vp3", "DNS:vp3", "IP:127.0.64.30");
            elsewhere = new OpensslPki(certs, "elsewhere-ca");
            elsewhere.issue("vp2-elsewhere", "vp2", "DNS:vp2", "IP:127.0.64.20");
            vp2 =
                    FakePeer.httpsRequiringClientCertificate(
                            "vp2", "127.0.64.20", pki.context("vp2"));
            vp2.votes(Map.of("europe/lb/ipv4", "UP"));
            lb = new LoopbackHttpServer("127.0.64.1", "europe-lb").start();
            return t.peerTls(pki.caPem(), "vp1", pki.pem("vp1"), pki.key("vp1"))
                    .set("pharos.api.peer-mtls", true)
                    .peerWithoutToken("vp2", vp2.url())
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
        vp2.close();
        lb.stop();
    }
}
