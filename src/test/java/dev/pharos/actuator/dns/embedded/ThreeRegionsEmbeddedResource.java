package dev.pharos.actuator.dns.embedded;

import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
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
        TestTopology t = TestTopology.fast("vp-e2e");
        for (int i = 0; i < 3; i++) {
            String next = "r" + ((i + 1) % 3 + 1);
            LoopbackHttpServer lb = lbs.get(i);
            t.region("r" + (i + 1), r -> r.lb(lb).fallback(next));
        }
        return t.roundRobin("cdn.example.test", 5)
                .alias("r1.example.test", "r1")
                .policy("hold-down", "1s")
                .policy("max-removals", 3)
                .zone("example.test")
                .embeddedDns(DNS_IP, dnsPort)
                .properties();
    }

    @Override
    public void stop() {
        lbs.forEach(LoopbackHttpServer::stop);
    }
}
