package dev.pharos.actuator.dns.embedded;

import dev.pharos.testing.FastConfig;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/** Three one-server regions and Pharos serving their names from its embedded DNS server. */
public class ThreeRegionsEmbeddedResource implements QuarkusTestResourceLifecycleManager {
    public static final String DNS_IP = "127.0.71.1";
    public static int dnsPort;
    public static List<LoopbackHttpServer> lbs;

    @Override
    public Map<String, String> start() {
        lbs =
                List.of(
                        new LoopbackHttpServer("127.0.72.1", "r1").start(),
                        new LoopbackHttpServer("127.0.73.1", "r2").start(),
                        new LoopbackHttpServer("127.0.74.1", "r3").start());
        dnsPort = Ports.freeUdpAndTcp(DNS_IP);
        Map<String, String> c = FastConfig.node("vp-e2e");
        for (int i = 0; i < 3; i++) {
            String r = "pharos.regions.r" + (i + 1);
            c.put(r + ".load-balancer.ipv4", lbs.get(i).address());
            c.put(r + ".load-balancer.port", "" + lbs.get(i).port());
            c.put(r + ".fallback[0]", "r" + ((i + 1) % 3 + 1));
        }
        c.put("pharos.records[0].name", "cdn.example.test");
        c.put("pharos.records[0].type", "round-robin");
        c.put("pharos.records[0].ttl", "5");
        c.put("pharos.records[1].name", "r1.example.test");
        c.put("pharos.records[1].type", "alias");
        c.put("pharos.records[1].region", "r1");
        c.put("pharos.policy.hold-down", "1s");
        c.put("pharos.policy.max-removals", "3");
        c.put("pharos.dns.provider", "embedded");
        c.put("pharos.dns.zone", "example.test");
        c.put("pharos.dns.embedded.listen[0]", DNS_IP);
        c.put("pharos.dns.embedded.port", "" + dnsPort);
        return c;
    }

    @Override
    public void stop() {
        lbs.forEach(LoopbackHttpServer::stop);
    }
}
