package dev.pharos.api;

import dev.pharos.testing.FakePeer;
import dev.pharos.testing.LoopbackHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
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
        Map<String, String> c = new HashMap<>();
        try {
            c.put("pharos.node.data-dir", Files.createTempDirectory("pharos-alerts-in").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        c.put("pharos.node.name", "vp-test");
        c.put("pharos.peers[0].name", "vp-b");
        c.put("pharos.peers[0].url", peer.url());
        c.put("pharos.api.peer-token", PEER_TOKEN);
        c.put("pharos.api.alert-token", ALERT_TOKEN);
        c.put("pharos.alerts.inbound.count-as-vote", "true");
        c.put("pharos.alerts.inbound.vote-ttl", "1m");
        c.put("pharos.probe.interval", "5s");
        c.put("pharos.probe.timeout", "300ms");
        c.put("pharos.probe.connect-timeout", "200ms");
        c.put("pharos.probe.recheck", "100ms");
        c.put("pharos.probe.rise", "1");
        c.put("pharos.probe.fall", "2");
        c.put("pharos.quorum.exchange-interval", "200ms");
        c.put("pharos.quorum.exchange-timeout", "150ms");
        c.put("pharos.quorum.stale-after", "12s");
        c.put("pharos.quorum.warmup-rounds", "1");
        c.put("pharos.regions.europe.load-balancer.ipv4", europeLb.address());
        c.put("pharos.regions.europe.load-balancer.port", "" + europeLb.port());
        c.put("pharos.regions.europe.backends[0].name", "web1");
        c.put("pharos.regions.europe.backends[0].address", europeWeb1.address());
        c.put("pharos.regions.europe.backends[0].port", "" + europeWeb1.port());
        c.put("pharos.regions.apac.load-balancer.ipv4", apacLb.address());
        c.put("pharos.regions.apac.load-balancer.port", "" + apacLb.port());
        c.put("pharos.dns.provider", "none");
        return c;
    }

    @Override
    public void stop() {
        europeLb.stop();
        europeWeb1.stop();
        apacLb.stop();
        peer.close();
    }
}
