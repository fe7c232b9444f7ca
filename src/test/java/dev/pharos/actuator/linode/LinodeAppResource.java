package dev.pharos.actuator.linode;

import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import dev.pharos.testing.Haproxy;
import dev.pharos.testing.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
        Map<String, String> c = new HashMap<>();
        try {
            c.put("pharos.node.data-dir", Files.createTempDirectory("pharos-linode").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        c.put("pharos.node.name", "vp-linode");
        c.put("pharos.regions.europe.load-balancer.ipv4", "127.0.87.1");
        c.put("pharos.regions.europe.load-balancer.port", "9");
        c.put("pharos.regions.europe.load-balancer.nodebalancer-id", "" + nodeBalancer);
        c.put("pharos.regions.europe.relay.address", "127.0.87.5");
        c.put("pharos.regions.europe.relay.port", "9");
        c.put("pharos.regions.europe.relay.control.nodebalancer-config-id", "" + config);
        c.put("pharos.regions.europe.relay.control.node-id", "" + relay);
        c.put(
                "pharos.regions.europe.relay.control.runtime-api",
                "unix:" + relayHaproxy.dir().resolve("relay.sock"));
        c.put("pharos.regions.europe.fallback[0]", "apac");
        c.put("pharos.regions.apac.load-balancer.ipv4", "127.0.88.1");
        c.put("pharos.regions.apac.load-balancer.port", "9");
        c.put("pharos.api.admin-token", ADMIN_TOKEN);
        c.put("pharos.dns.provider", "none");
        c.put("pharos.dns.zone", "example.test");
        c.put("pharos.dns.linode.base-url", emulator.baseUrl());
        c.put("pharos.dns.linode.token", DNS_TOKEN);
        c.put("pharos.loadbalancer.provider", "linode");
        c.put("pharos.loadbalancer.linode-token", LB_TOKEN);
        c.put("pharos.loadbalancer.linode-poll-interval", "300ms");
        // request logging is on (its logger quiet until a test listens), so the tests see that
        // it masks the token; Pharos's debug lines reach the tests' handlers, not the console
        c.put("quarkus.rest-client.logging.scope", "request-response");
        c.put("quarkus.log.category.\"org.jboss.resteasy.reactive.client.logging\".level", "WARN");
        c.put("quarkus.log.category.\"dev.pharos\".level", "DEBUG");
        c.put("quarkus.log.console.level", "INFO");
        return c;
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
