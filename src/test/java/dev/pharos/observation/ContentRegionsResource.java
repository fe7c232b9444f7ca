package dev.pharos.observation;

import dev.pharos.testing.Haproxy;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Three regions on loopback, each a real HAProxy load balancer in front of two web servers that
 * serve a trace file and a manifest; europe and americas were synced just now with release 2, apac
 * three hours ago with release 1. Pharos checks the content every 2 s through each load balancer
 * and each backend, with warn-after 30m and stale-after 2h.
 */
public class ContentRegionsResource implements QuarkusTestResourceLifecycleManager {
    public static final String TRACE = "/project/trace/origin";
    public static final String MANIFEST = "/repodata/repomd.xml";
    public static final List<String> REGIONS = List.of("europe", "apac", "americas");
    private static final Map<String, Integer> OCTET =
            Map.of("europe", 111, "apac", 112, "americas", 113);
    public static final Map<String, List<LoopbackHttpServer>> backends = new LinkedHashMap<>();
    private static final List<Haproxy> haproxies = new ArrayList<>();

    /** What the origin's sync leaves on a region's web servers: a trace and a manifest. */
    public static void serve(String region, Instant syncedAt, String release) {
        for (LoopbackHttpServer w : backends.get(region)) {
            w.file(TRACE, syncedAt.getEpochSecond() + "\n")
                    .file(MANIFEST, "<repomd><revision>" + release + "</revision></repomd>\n");
        }
    }

    @Override
    public Map<String, String> start() {
        TestTopology t = TestTopology.fast("vp-content");
        Instant now = Instant.now();
        try {
            for (String r : REGIONS) {
                int o = OCTET.get(r);
                LoopbackHttpServer w1 =
                        new LoopbackHttpServer("127.0." + o + ".11", r + "-web1").start();
                LoopbackHttpServer w2 =
                        new LoopbackHttpServer("127.0." + o + ".12", r + "-web2").start();
                backends.put(r, List.of(w1, w2));
                if (r.equals("apac")) {
                    serve(r, now.minusSeconds(3 * 3600), "release-1");
                } else {
                    serve(r, now, "release-2");
                }
                int lp = Ports.freeTcp("127.0." + o + ".1");
                haproxies.add(
                        Haproxy.start(
                                """
                                defaults
                                    mode http
                                    timeout connect 500ms
                                    timeout client 5s
                                    timeout server 5s
                                frontend cdn
                                    bind 127.0.%1$d.1:%2$d
                                    default_backend cdn
                                backend cdn
                                    balance roundrobin
                                    option httpchk GET /health
                                    default-server inter 200ms fall 2 rise 2
                                    server web1 127.0.%1$d.11:%3$d check
                                    server web2 127.0.%1$d.12:%4$d check
                                """
                                        .formatted(o, lp, w1.port(), w2.port())));
                t.region(
                        r,
                        region ->
                                region.ipv4("127.0." + o + ".1", lp)
                                        .backend("web1", w1)
                                        .backend("web2", w2));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return t.fallbacksInTurn()
                .probe("path", "/health")
                .probe("host", "cdn.example.test")
                .set("pharos.content.trace-path", TRACE)
                .set("pharos.content.manifest-path", MANIFEST)
                .set("pharos.content.interval", "2s")
                .set("pharos.content.timeout", "1500ms")
                .set("pharos.content.connect-timeout", "1s")
                .set("pharos.content.warn-after", "30m")
                .set("pharos.content.stale-after", "2h")
                .set("pharos.content.backends", true)
                .dns("none")
                .properties();
    }

    @Override
    public void stop() {
        backends.values().forEach(l -> l.forEach(LoopbackHttpServer::stop));
        for (Haproxy h : haproxies) {
            try {
                h.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
