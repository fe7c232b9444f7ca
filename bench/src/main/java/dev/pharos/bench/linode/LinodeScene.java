package dev.pharos.bench.linode;

import dev.pharos.actuator.lb.RelayTopologyResource;
import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import dev.pharos.it.PharosInstance;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Readiness;
import dev.pharos.testing.TestTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the Linode benchmark runs against: RelayTopologyResource's three regions (real HAProxy load
 * balancers, web backends, relay HAProxies) whose NodeBalancers and DNS Domain live in a Linode
 * emulator on loopback, under a tight per-token rate limit; and N Pharos processes from the built
 * jar as one cluster (each the others' peer), all with one Linode token, the first of them
 * actuating. Every request and response of the emulator is checked against Linode's API
 * description.
 */
final class LinodeScene implements AutoCloseable {
    static final String TOKEN = "bench-linode-token-never-print-me";
    static final String ZONE = "example.test";
    static final List<String> REGIONS = RelayTopologyResource.REGIONS;

    final LinodeEmulator emulator;
    final long domain;
    final Map<String, long[]> relayNodes = new HashMap<>();
    final List<PharosInstance> instances = new ArrayList<>();
    private final RelayTopologyResource topology = new RelayTopologyResource();

    /**
     * @param limit requests per token per {@code window}, in Linode's fixed windows
     * @param instances Pharos processes sharing the token
     */
    LinodeScene(int limit, Duration window, int instances) throws Exception {
        LinodeSpec spec =
                LinodeSpec.optional()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "Linode's API description is missing at "
                                                        + LinodeSpec.RELATIVE.toAbsolutePath()));
        emulator = LinodeEmulator.start(spec, TOKEN, "127.0.107.1");
        domain = emulator.addDomain(ZONE);
        topology.start();
        TestTopology base = RelayTopologyResource.topology.copy();
        for (String r : REGIONS) {
            String lb = lb(r);
            emulator.addRecord(domain, "A", "cdn", lb, 30);
            long nb = emulator.addNodeBalancer("nb-" + r);
            long config = emulator.addConfig(nb, 80);
            emulator.addNode(nb, config, r + "-web1", "127.0.109.31:80", "accept");
            long relay = emulator.addNode(nb, config, r + "-relay", "127.0.109.32:80", "reject");
            relayNodes.put(r, new long[] {config, relay});
            String k = "pharos.regions." + r;
            base.set(k + ".load-balancer.nodebalancer-id", "" + nb);
            base.set(k + ".relay.control.nodebalancer-config-id", "" + config);
            base.set(k + ".relay.control.node-id", "" + relay);
            base.set(k + ".relay.control.lb-runtime-api", null);
            base.set(k + ".relay.control.lb-backend", null);
            base.set(k + ".relay.control.lb-server", null);
        }
        emulator.addRecord(domain, "A", "europe", lb("europe"), 30);
        base.set("pharos.loadbalancer.provider", "linode");
        base.set("pharos.dns.provider", "linode");
        base.set("pharos.dns.zone", ZONE);
        base.set("pharos.dns.linode.base-url", emulator.baseUrl());
        // the budgets of instances with one Linode user add up: split as docs/LINODE.md says
        base.set("pharos.dns.linode.requests-per-minute", "" + Math.min(100, 160 / instances));
        base.set("pharos.records[0].name", "cdn." + ZONE);
        base.set("pharos.records[0].type", "round-robin");
        base.set("pharos.records[0].ttl", "60");
        base.set("pharos.records[1].name", "europe." + ZONE);
        base.set("pharos.records[1].type", "alias");
        base.set("pharos.records[1].region", "europe");
        base.set("pharos.records[1].ttl", "60");
        emulator.limitPerToken(limit, window);
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            ports.add(PharosInstance.freePort(address(i)));
        }
        for (int i = 0; i < instances; i++) {
            this.instances.add(instance(base, i, ports));
        }
        for (PharosInstance p : this.instances) {
            Readiness.await(
                    p.name() + " (" + p.log() + ") ready",
                    Duration.ofSeconds(90),
                    () -> p.status("/q/health/ready") == 200);
        }
    }

    private static String address(int i) {
        return "127.0.107." + (11 + i);
    }

    private static String name(int i) {
        return "vp-linode-" + (i + 1);
    }

    /**
     * Instance i of one cluster: every other instance is its peer (each with its own peer token),
     * and only the first writes, as in a real deployment of several vantage points on one token (a
     * non-writer without peers would see no writer and rightly not be ready).
     */
    private static PharosInstance instance(TestTopology base, int i, List<Integer> ports)
            throws Exception {
        String name = name(i);
        Path dir = Files.createTempDirectory("pharos-" + name);
        TestTopology t =
                base.copy()
                        .name(name)
                        .dataDir(dir.resolve("data"))
                        .http(address(i), ports.get(i))
                        .sourceAddress(address(i))
                        .env("PHAROS_DNS_LINODE_TOKEN", TOKEN)
                        .env("PHAROS_API_PEER_TOKEN", TestTopology.peerToken(name));
        for (int j = 0; j < ports.size(); j++) {
            if (j != i) {
                t.peer(name(j), "http://" + address(j) + ":" + ports.get(j));
            }
        }
        // the base (RelayTopologyResource's in-process configuration) actuates: only the first
        // instance may write, or three writers race on one Domain
        t.set("pharos.node.actuate", i == 0);
        PharosInstance pharos = new PharosInstance(t, dir, List.of("-Xmx256m"));
        pharos.start();
        return pharos;
    }

    static String lb(String region) {
        return "127.0." + RelayTopologyResource.OCTET.get(region) + ".1";
    }

    void killBackends(String region) {
        RelayTopologyResource.backends.get(region).forEach(LoopbackHttpServer::stop);
    }

    void startBackends(String region) {
        RelayTopologyResource.backends.get(region).forEach(LoopbackHttpServer::start);
    }

    /** The A rows of a name, sorted (duplicates kept). */
    List<String> rows(String name) {
        return emulator.rows(domain).stream()
                .filter(r -> r.type().equals("A") && r.name().equals(name))
                .map(LinodeEmulator.Row::target)
                .sorted()
                .toList();
    }

    String relayMode(String region) {
        long[] n = relayNodes.get(region);
        return emulator.mode(n[0], n[1]);
    }

    /** europe out of DNS and relayed (true), or back in and not relayed (false). */
    boolean failedOver(boolean out) {
        Set<String> cdn = new TreeSet<>();
        for (String r : REGIONS) {
            if (!out || !r.equals("europe")) {
                cdn.add(lb(r));
            }
        }
        return rows("cdn").equals(List.copyOf(cdn))
                && rows("europe").equals(List.of(lb(out ? "apac" : "europe")))
                && relayMode("europe").equals(out ? "accept" : "reject");
    }

    @Override
    public void close() {
        for (PharosInstance p : instances) {
            p.close();
        }
        topology.stop();
        emulator.close();
    }
}
