package dev.pharos.api;

import dev.pharos.testing.FakePeer;
import dev.pharos.testing.LoopbackHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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

    @Override
    public Map<String, String> start() {
        europeLb = new LoopbackHttpServer("127.0.62.1", "europe-lb").start();
        peer = FakePeer.http("vp-b", "127.0.62.20");
        peer.votes(Map.of("europe/lb/ipv4", "UP"));
        Map<String, String> c = new HashMap<>();
        try {
            Path dir = Files.createTempDirectory("pharos-peer-test");
            c.put("pharos.node.data-dir", dir.toString());
            log = dir.resolve("pharos.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        c.put("quarkus.log.file.enabled", "true");
        c.put("quarkus.log.file.path", log.toString());
        c.put("quarkus.log.category.\"dev.pharos\".level", "DEBUG");
        c.put("pharos.node.name", "vp-test");
        c.put("pharos.peers[0].name", "vp-b");
        c.put("pharos.peers[0].url", peer.url());
        c.put("pharos.api.peer-token", PEER_TOKEN);
        c.put("pharos.probe.interval", "200ms");
        c.put("pharos.probe.timeout", "150ms");
        c.put("pharos.probe.connect-timeout", "100ms");
        c.put("pharos.probe.recheck", "50ms");
        c.put("pharos.probe.rise", "2");
        c.put("pharos.probe.fall", "2");
        c.put("pharos.quorum.exchange-interval", "200ms");
        c.put("pharos.quorum.exchange-timeout", "150ms");
        c.put("pharos.quorum.stale-after", "2s");
        c.put("pharos.quorum.warmup-rounds", "1");
        c.put("pharos.regions.europe.load-balancer.ipv4", europeLb.address());
        c.put("pharos.regions.europe.load-balancer.port", "" + europeLb.port());
        c.put("pharos.dns.provider", "none");
        return c;
    }

    @Override
    public void stop() {
        europeLb.stop();
        peer.close();
    }
}
