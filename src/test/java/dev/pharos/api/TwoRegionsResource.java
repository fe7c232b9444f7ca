package dev.pharos.api;

import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
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
        return TestTopology.fast("vp-test")
                .probe("path", "/health")
                .region("europe", r -> r.lb(europeLb).backend("web1", europeWeb1))
                .region("apac", apacLb)
                .fallbacksInTurn()
                .dns("none")
                .zone("example.test")
                .roundRobin("cdn.example.test", 30)
                .alias("europe.example.test", "europe")
                .policy("hold-down", "1s")
                .set("pharos.api.admin-token", ADMIN_TOKEN)
                .properties();
    }

    @Override
    public void stop() {
        europeLb.stop();
        europeWeb1.stop();
        apacLb.stop();
    }
}
