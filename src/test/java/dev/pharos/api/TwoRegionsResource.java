package dev.pharos.api;

import dev.pharos.testing.FastConfig;
import dev.pharos.testing.LoopbackHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
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
        Map<String, String> c = FastConfig.node("vp-test");
        c.put("pharos.probe.path", "/health");
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
