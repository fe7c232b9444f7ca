package dev.pharos.api;

import dev.pharos.testing.FakePeer;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Pharos as "vp-test" with one faked peer "vp-b" (quorum 2 of 2), an alert token, and inbound
 * alerts counted as votes. Probes run only every 5 s, so a re-probe asked by an alert shows as an
 * observation long before the next scheduled one.
 */
public class InboundAlertsResource implements QuarkusTestResourceLifecycleManager {
    static final String ALERT_TOKEN = "alert-secret-for-tests-91b3";
    static final String PEER_TOKEN = "peer-secret-for-alert-tests-4c0a";
    static LoopbackHttpServer europeLb;
    static LoopbackHttpServer europeWeb1;
    static LoopbackHttpServer apacLb;
    static FakePeer peer;

    @Override
    public Map<String, String> start() {
        europeLb = new LoopbackHttpServer("127.0.63.1", "europe-lb").start();
        europeWeb1 = new LoopbackHttpServer("127.0.63.11", "europe-web1").start();
        apacLb = new LoopbackHttpServer("127.0.64.1", "apac-lb").start();
        peer = FakePeer.http("vp-b", "127.0.63.20");
        peer.votes(
                Map.of(
                        "europe/lb/ipv4", "UP",
                        "europe/backend/web1", "UP",
                        "apac/lb/ipv4", "UP"));
        return TestTopology.node("vp-test")
                .freshDataDir()
                .peer(peer)
                .set("pharos.api.peer-token", PEER_TOKEN)
                .set("pharos.api.alert-token", ALERT_TOKEN)
                .set("pharos.alerts.inbound.count-as-vote", true)
                .set("pharos.alerts.inbound.vote-ttl", "1m")
                .probe("interval", "5s")
                .probe("timeout", "300ms")
                .probe("connect-timeout", "200ms")
                .probe("recheck", "100ms")
                .probe("rise", 1)
                .probe("fall", 2)
                .quorum("exchange-interval", "200ms")
                .quorum("exchange-timeout", "150ms")
                .quorum("stale-after", "12s")
                .quorum("warmup-rounds", 1)
                .region("europe", r -> r.lb(europeLb).backend("web1", europeWeb1))
                .region("apac", apacLb)
                .dns("none")
                .properties();
    }

    @Override
    public void stop() {
        europeLb.stop();
        europeWeb1.stop();
        apacLb.stop();
        peer.close();
    }
}
