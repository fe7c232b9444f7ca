package dev.pharos.actuator.dns.embedded;

import dev.pharos.testing.Haproxy;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Mmdb;
import dev.pharos.testing.Mmdb.Entry;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Three regions named as the built-in continent map expects (europe 127.0.131.1, apac 127.0.132.1,
 * americas 127.0.133.1), each a real HAProxy in front of one web server, a geo name {@code www}
 * (and the round-robin {@code cdn}), a location database written at test time, and Pharos serving
 * them from its embedded DNS server on 127.0.130.1 with a hold-down of {@link #HOLD_DOWN_SECONDS}.
 * {@link #kill} and {@link #restart} stop and start a region's HAProxy process.
 */
public class GeoHaproxyRegionsResource implements QuarkusTestResourceLifecycleManager {
    public static final String DNS_IP = "127.0.130.1";
    public static final int HOLD_DOWN_SECONDS = 4;
    public static final List<String> REGIONS = List.of("europe", "apac", "americas");

    /** Each region's fallback order, nearest first. */
    public static final Map<String, List<String>> FALLBACK =
            Map.of(
                    "europe", List.of("americas", "apac"),
                    "apac", List.of("europe", "americas"),
                    "americas", List.of("europe", "apac"));

    public static int dnsPort;
    private static final Map<String, String> configs = new LinkedHashMap<>();
    private static final Map<String, Haproxy> haproxies = new LinkedHashMap<>();
    private static final Map<String, LoopbackHttpServer> webs = new LinkedHashMap<>();

    /** The load balancer's address of a region. */
    public static String address(String region) {
        return "127.0." + (131 + REGIONS.indexOf(region)) + ".1";
    }

    /** Stops the region's HAProxy: its load balancer refuses connections. */
    public static synchronized void kill(String region) throws Exception {
        haproxies.remove(region).close();
    }

    /** Starts the region's HAProxy again, on the same address and port. */
    public static synchronized void restart(String region) throws Exception {
        haproxies.put(region, Haproxy.start(configs.get(region)));
    }

    @Override
    public Map<String, String> start() {
        TestTopology t = TestTopology.fast("vp-geo-failover");
        try {
            for (String r : REGIONS) {
                String lb = address(r);
                String base = lb.substring(0, lb.length() - 2);
                LoopbackHttpServer web = new LoopbackHttpServer(base + ".11", r + "-web").start();
                webs.put(r, web);
                int port = Ports.freeTcp(lb);
                configs.put(
                        r,
                        """
                        defaults
                            mode http
                            timeout connect 500ms
                            timeout client 5s
                            timeout server 5s
                        frontend cdn
                            bind %s:%d
                            default_backend cdn
                        backend cdn
                            option httpchk GET /health
                            default-server inter 200ms fall 2 rise 2
                            server web %s:%d check
                        """
                                .formatted(lb, port, web.address(), web.port()));
                restart(r);
                String[] fallback = FALLBACK.get(r).toArray(String[]::new);
                t.region(r, region -> region.ipv4(lb, port).fallback(fallback));
            }
            Path database = Files.createTempDirectory("pharos-geo-failover").resolve("geo.mmdb");
            // documentation networks as data: FR (EU), JP (AS), US (NA)
            Mmdb.write(
                    database,
                    List.of(
                            Entry.of("203.0.113.0/24", "FR", "EU"),
                            Entry.of("192.0.2.0/24", "JP", "AS"),
                            Entry.of("2001:db8:200::/40", "US", "NA")));
            dnsPort = Ports.freeUdpAndTcp(DNS_IP);
            return t.probe("path", "/health")
                    .geo("www.example.test")
                    .lastRecord("ttl", 5)
                    .roundRobin("cdn.example.test", 5)
                    .policy("hold-down", HOLD_DOWN_SECONDS + "s")
                    .policy("max-removals", 3)
                    .zone("example.test")
                    .embeddedDns(DNS_IP, dnsPort)
                    .set("pharos.dns.embedded.geo-database", database.toString())
                    .properties();
        } catch (Exception e) {
            stop();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void stop() {
        for (Haproxy h : haproxies.values()) {
            try {
                h.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        haproxies.clear();
        webs.values().forEach(LoopbackHttpServer::stop);
    }
}
