package dev.pharos.api;

import dev.pharos.testing.LoopbackHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * Two regions of real loopback HTTP servers, and a Pharos configuration that probes them fast
 * (interval 200 ms) so the API tests see state changes within a second or two.
 */
public class TwoRegionsResource implements QuarkusTestResourceLifecycleManager {
    public static final String ADMIN_TOKEN = "admin-secret-for-tests-5f2c";
    public static LoopbackHttpServer europeLb;
    public static LoopbackHttpServer europeWeb1;
    public static LoopbackHttpServer apacLb;

    @Override
    public Map<String, String> start() {
        europeLb = new LoopbackHttpServer("127.0.60.1", "europe-lb").start();
        europeWeb1 = new LoopbackHttpServer("127.0.60.11", "europe-web1").start();
        apacLb = new LoopbackHttpServer("127.0.61.1", "apac-lb").start();
        Map<String, String> c = new HashMap<>();
        try {
            c.put("pharos.node.data-dir", Files.createTempDirectory("pharos-api-test").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        c.put("pharos.node.name", "vp-test");
        c.put("pharos.probe.interval", "200ms");
        c.put("pharos.probe.timeout", "150ms");
        c.put("pharos.probe.connect-timeout", "100ms");
        c.put("pharos.probe.recheck", "50ms");
        c.put("pharos.probe.rise", "2");
        c.put("pharos.probe.fall", "2");
        c.put("pharos.probe.path", "/health");
        c.put("pharos.quorum.exchange-interval", "200ms");
        c.put("pharos.quorum.exchange-timeout", "100ms");
        c.put("pharos.quorum.stale-after", "1s");
        c.put("pharos.quorum.warmup-rounds", "1");
        c.put("pharos.regions.europe.load-balancer.ipv4", europeLb.address());
        c.put("pharos.regions.europe.load-balancer.port", "" + europeLb.port());
        c.put("pharos.regions.europe.backends[0].name", "web1");
        c.put("pharos.regions.europe.backends[0].address", europeWeb1.address());
        c.put("pharos.regions.europe.backends[0].port", "" + europeWeb1.port());
        c.put("pharos.regions.europe.fallback[0]", "apac");
        c.put("pharos.regions.apac.load-balancer.ipv4", apacLb.address());
        c.put("pharos.regions.apac.load-balancer.port", "" + apacLb.port());
        c.put("pharos.regions.apac.fallback[0]", "europe");
        c.put("pharos.dns.provider", "none");
        c.put("pharos.dns.zone", "example.test");
        c.put("pharos.records[0].name", "cdn.example.test");
        c.put("pharos.records[0].type", "round-robin");
        c.put("pharos.records[0].ttl", "30");
        c.put("pharos.records[1].name", "europe.example.test");
        c.put("pharos.records[1].type", "alias");
        c.put("pharos.records[1].region", "europe");
        c.put("pharos.policy.hold-down", "1s");
        c.put("pharos.api.admin-token", ADMIN_TOKEN);
        return c;
    }

    @Override
    public void stop() {
        europeLb.stop();
        europeWeb1.stop();
        apacLb.stop();
    }
}
