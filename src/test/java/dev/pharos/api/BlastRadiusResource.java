package dev.pharos.api;

import dev.pharos.testing.FastConfig;
import dev.pharos.testing.LoopbackHttpServer;
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
        Map<String, String> c = FastConfig.node("vp-blast");
        for (int i = 0; i < 3; i++) {
            String r = "pharos.regions." + (char) ('a' + i);
            c.put(r + ".load-balancer.ipv4", lbs.get(i).address());
            c.put(r + ".load-balancer.port", "" + lbs.get(i).port());
        }
        c.put("pharos.records[0].name", "cdn.example.test");
        c.put("pharos.records[0].type", "round-robin");
        c.put("pharos.policy.max-removals", "1");
        c.put("pharos.dns.provider", "none");
        c.put("pharos.dns.zone", "example.test");
        c.put("pharos.api.admin-token", ADMIN);
        return c;
    }

    @Override
    public void stop() {
        lbs.forEach(LoopbackHttpServer::stop);
    }
}
