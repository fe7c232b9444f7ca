package dev.pharos.actuator.linode;

import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import dev.pharos.testing.Haproxy;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Pharos application whose load balancer is a Linode NodeBalancer in an emulator: region europe
 * has NodeBalancer "nb-europe" (port 80: europe-web1 in rotation, the relay out of it), read every
 * 300 ms as a second opinion. DNS stays {@code none}: the DNS tests build their own providers
 * against emulators of their own (the Quarkus application is what lets them build the REST client).
 */
public class LinodeAppResource implements QuarkusTestResourceLifecycleManager {
    public static final String DNS_TOKEN = "dns-token-7c1e40f2-never-print-me";
    public static final String LB_TOKEN = "lb-token-93ab11d0-never-print-me";
    public static final String ADMIN_TOKEN = "linode-app-admin-token-5b0e";
    public static LinodeEmulator emulator;
    public static long nodeBalancer;
    public static long config;
    public static long web1;
    public static long relay;
    public static Haproxy relayHaproxy;

    @Override
    public Map<String, String> start() {
        // no validation here when the description is missing: each test calls LinodeSpec.require()
        emulator = LinodeEmulator.start(LinodeSpec.optional().orElse(null), LB_TOKEN);
        nodeBalancer = emulator.addNodeBalancer("nb-europe");
        config = emulator.addConfig(nodeBalancer, 80);
        web1 = emulator.addNode(nodeBalancer, config, "europe-web1", "127.0.87.11:80", "accept");
        relay = emulator.addNode(nodeBalancer, config, "europe-relay", "127.0.87.5:80", "reject");
        try {
            // the relay's own HAProxy, from the deploy template: Pharos sets its forward target
            relayHaproxy =
                    Haproxy.start(
                            Files.readString(Path.of("deploy/relay/haproxy.cfg.tmpl"))
                                    .replace("@REGION@", "europe")
                                    .replace(
                                            "@LISTEN@", "127.0.87.5:" + Ports.freeTcp("127.0.87.5"))
                                    .replace("@RUNTIME_API@", "@DIR@/relay.sock"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return TestTopology.node("vp-linode")
                .freshDataDir()
                .region(
                        "europe",
                        r ->
                                r.ipv4("127.0.87.1", 9)
                                        .set("load-balancer.nodebalancer-id", nodeBalancer)
                                        .relay("127.0.87.5", 9)
                                        .relayControl("nodebalancer-config-id", config)
                                        .relayControl("node-id", relay)
                                        .relayControl(
                                                "runtime-api",
                                                "unix:" + relayHaproxy.dir().resolve("relay.sock"))
                                        .fallback("apac"))
                .region("apac", r -> r.ipv4("127.0.88.1", 9))
                .set("pharos.api.admin-token", ADMIN_TOKEN)
                .dns("none")
                .zone("example.test")
                .set("pharos.dns.linode.base-url", emulator.baseUrl())
                .set("pharos.dns.linode.token", DNS_TOKEN)
                .loadBalancer("linode")
                .set("pharos.loadbalancer.linode-token", LB_TOKEN)
                .set("pharos.loadbalancer.linode-poll-interval", "300ms")
                // request logging is on (its logger quiet until a test listens), so the tests see
                // that it masks the token; Pharos's debug lines reach the tests' handlers, not the
                // console
                .set("quarkus.rest-client.logging.scope", "request-response")
                .set(
                        "quarkus.log.category.\"org.jboss.resteasy.reactive.client.logging\".level",
                        "WARN")
                .set("quarkus.log.category.\"dev.pharos\".level", "DEBUG")
                .set("quarkus.log.console.level", "INFO")
                .properties();
    }

    @Override
    public void stop() {
        if (relayHaproxy != null) {
            try {
                relayHaproxy.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (emulator != null) {
            emulator.close();
        }
    }
}
