package dev.pharos.actuator.lb;

import dev.pharos.testing.Haproxy;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Three regions on loopback, each a real HAProxy load balancer (the relay a server of its backend,
 * in maintenance) in front of two web servers, plus a relay HAProxy rendered from
 * deploy/relay/haproxy.cfg.tmpl; and a Pharos configuration that drives the relays through both
 * runtime APIs.
 */
public class RelayTopologyResource implements QuarkusTestResourceLifecycleManager {
    public static final List<String> REGIONS = List.of("europe", "apac", "americas");
    public static final Map<String, Integer> OCTET =
            Map.of("europe", 101, "apac", 102, "americas", 103);
    public static final Map<String, List<LoopbackHttpServer>> backends = new LinkedHashMap<>();
    public static final Map<String, Integer> lbPort = new HashMap<>();
    public static final List<Haproxy> haproxies = new ArrayList<>();
    public static final Map<String, Integer> relayPort = new HashMap<>();

    /** The configuration, for a Pharos process of its own (RelayBench). */
    public static TestTopology topology;

    /** What the region's load balancer answers: "STATUS body". */
    public static String via(String region) {
        return get("http://127.0." + OCTET.get(region) + ".1:" + lbPort.get(region) + "/", null);
    }

    /** GET over a raw socket, so the test can send the visitor's Host header as a browser would. */
    public static String get(String url, String relayHeader) {
        URI u = URI.create(url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 1000);
            s.setSoTimeout(3000);
            String req =
                    "GET / HTTP/1.1\r\nHost: cdn.example.test\r\nConnection: close\r\n"
                            + (relayHeader == null ? "" : "X-Pharos-Relay: " + relayHeader + "\r\n")
                            + "\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int sp = resp.indexOf(' ');
            int body = resp.indexOf("\r\n\r\n");
            if (sp < 0 || body < 0) {
                return "error short answer";
            }
            return resp.substring(sp + 1, sp + 4) + " " + resp.substring(body + 4).trim();
        } catch (Exception e) {
            return "error " + e.getClass().getSimpleName();
        }
    }

    @Override
    public Map<String, String> start() {
        TestTopology t = TestTopology.fast("vp-relay");
        try {
            String template = Files.readString(Path.of("deploy/relay/haproxy.cfg.tmpl"));
            for (String r : REGIONS) {
                int o = OCTET.get(r);
                LoopbackHttpServer w1 =
                        new LoopbackHttpServer("127.0." + o + ".11", r + "-web1").start();
                LoopbackHttpServer w2 =
                        new LoopbackHttpServer("127.0." + o + ".12", r + "-web2").start();
                backends.put(r, List.of(w1, w2));
                int rp = Ports.freeTcp("127.0." + o + ".21");
                relayPort.put(r, rp);
                Haproxy relay =
                        Haproxy.start(
                                template.replace("@REGION@", r)
                                        .replace("@LISTEN@", "127.0." + o + ".21:" + rp)
                                        .replace("@RUNTIME_API@", "@DIR@/relay.sock"));
                haproxies.add(relay);
                int lp = Ports.freeTcp("127.0." + o + ".1");
                lbPort.put(r, lp);
                Haproxy lb =
                        Haproxy.start(
                                """
                                global
                                    stats socket @DIR@/lb.sock level admin
                                defaults
                                    mode http
                                    timeout connect 500ms
                                    timeout client 5s
                                    timeout server 5s
                                frontend cdn
                                    bind 127.0.%1$d.1:%2$d
                                    option forwardfor
                                    default_backend cdn
                                backend cdn
                                    balance roundrobin
                                    option httpchk GET /health
                                    default-server inter 200ms fall 2 rise 2
                                    server web1 127.0.%1$d.11:%3$d check
                                    server web2 127.0.%1$d.12:%4$d check
                                    server relay 127.0.%1$d.21:%5$d check disabled
                                """
                                        .formatted(o, lp, w1.port(), w2.port(), rp));
                haproxies.add(lb);
                t.region(
                        r,
                        region ->
                                region.ipv4("127.0." + o + ".1", lp)
                                        .backend("web1", w1)
                                        .backend("web2", w2)
                                        .relay("127.0." + o + ".21", rp)
                                        .relayControl(
                                                "runtime-api",
                                                "unix:" + relay.dir().resolve("relay.sock"))
                                        .relayControl(
                                                "lb-runtime-api",
                                                "unix:" + lb.dir().resolve("lb.sock"))
                                        .relayControl("lb-backend", "cdn")
                                        .relayControl("lb-server", "relay"));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        topology =
                t.fallbacksInTurn()
                        .actuate()
                        .probe("path", "/health")
                        .probe("host", "cdn.example.test")
                        .policy("hold-down", "2s")
                        .policy("max-removals", 3)
                        .dns("none")
                        .loadBalancer("haproxy");
        return topology.properties();
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
