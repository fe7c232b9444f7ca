package dev.pharos.api;

import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/** Three one-server regions with a blast radius of one removal per ten minutes. */
public class BlastRadiusResource implements QuarkusTestResourceLifecycleManager {
    public static final String ADMIN = "blast-radius-admin-token";
    public static List<LoopbackHttpServer> lbs;

    @Override
    public Map<String, String> start() {
        lbs =
                List.of(
                        new LoopbackHttpServer("127.0.62.1", "a").start(),
                        new LoopbackHttpServer("127.0.62.2", "b").start(),
                        new LoopbackHttpServer("127.0.62.3", "c").start());
        return TestTopology.fast("vp-blast")
                .region("a", lbs.get(0))
                .region("b", lbs.get(1))
                .region("c", lbs.get(2))
                .roundRobin("cdn.example.test")
                .policy("max-removals", 1)
                .dns("none")
                .zone("example.test")
                .set("pharos.api.admin-token", ADMIN)
                .properties();
    }

    @Override
    public void stop() {
        lbs.forEach(LoopbackHttpServer::stop);
    }
}
