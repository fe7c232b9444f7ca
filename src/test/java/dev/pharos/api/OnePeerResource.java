package dev.pharos.api;

import dev.pharos.testing.FakePeer;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * Pharos as vantage point "vp-test" with one peer, "vp-b", faked by the test: two vantage points,
 * so every verdict needs both (quorum 2 of 2). Logs go to a file the test reads back.
 */
public class OnePeerResource implements QuarkusTestResourceLifecycleManager {
    static final String PEER_TOKEN = "peer-secret-0123456789abcdef";
    static LoopbackHttpServer europeLb;
    static FakePeer peer;
    static Path log;
    static Path dataDir;

    /** The token vp-b presents. */
    static String peerToken() {
        return TestTopology.peerToken("vp-b");
    }

    static Path journal() {
        return dataDir.resolve("journal.jsonl");
    }

    @Override
    public Map<String, String> start() {
        europeLb = new LoopbackHttpServer("127.0.62.1", "europe-lb").start();
        peer = FakePeer.http("vp-b", "127.0.62.20");
        peer.votes(Map.of("europe/lb/ipv4", "UP"));
        TestTopology t = TestTopology.node("vp-test").freshDataDir();
        log = t.dataDir().resolve("pharos.log");
        dataDir = t.dataDir();
        return t.set("quarkus.log.file.enabled", true)
                .set("quarkus.log.file.path", log)
                .set("quarkus.log.category.\"dev.pharos\".level", "DEBUG")
                .peer(peer)
                .set("pharos.api.peer-token", PEER_TOKEN)
                .timings(Timings.FAST)
                .quorum("exchange-timeout", "150ms")
                .quorum("stale-after", "2s")
                .region("europe", europeLb)
                .dns("none")
                .properties();
    }

    @Override
    public void stop() {
        europeLb.stop();
        peer.close();
    }
}
