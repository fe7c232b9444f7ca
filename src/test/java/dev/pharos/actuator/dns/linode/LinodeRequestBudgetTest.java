package dev.pharos.actuator.dns.linode;

import static dev.pharos.decision.RegionState.DEAD;
import static dev.pharos.decision.RegionState.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.lb.ForwardTargetSetter;
import dev.pharos.actuator.lb.RelayMetrics;
import dev.pharos.actuator.lb.linode.LinodeRelayActuator;
import dev.pharos.actuator.linode.LinodeAppResource;
import dev.pharos.actuator.linode.emulator.Fault;
import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.RelayDecision;
import dev.pharos.journal.Journal;
import dev.pharos.reconcile.DnsStep;
import dev.pharos.reconcile.LoopScheduler;
import dev.pharos.reconcile.LoopSettings;
import dev.pharos.reconcile.Outcome;
import dev.pharos.reconcile.ReconcileLoop;
import dev.pharos.reconcile.RelayStep;
import dev.pharos.testing.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each action costs in Linode requests, measured against the emulator: the numbers in
 * docs/LINODE.md's "Calls, measured against the emulator" table come from here, and this test fails
 * when the code stops matching them.
 */
@QuarkusTest
@QuarkusTestResource(value = LinodeAppResource.class, restrictToAnnotatedClass = true)
class LinodeRequestBudgetTest {
    static final String TOKEN = "budget-test-token-6d0a-never-print-me";

    @TempDir Path data;
    LinodeEmulator emulator;
    Journal journal;
    ScheduledExecutorService executor;
    final Map<String, Integer> measured = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        emulator = LinodeEmulator.start(LinodeSpec.require(), TOKEN, "127.0.85.8");
        executor = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        measured.forEach((k, v) -> System.out.println("linode requests: " + k + ": " + v));
        assertThat(emulator.violations()).isEmpty();
        executor.shutdownNow();
        if (journal != null) {
            journal.close();
        }
        emulator.close();
    }

    private int measure(String what) {
        int n = emulator.calls().size();
        measured.put(what, n);
        emulator.clearCalls();
        return n;
    }

    @Test
    void dnsReconciles() {
        LinodeZone zone = new LinodeZone(emulator);
        emulator.clock(zone.clock);
        journal = new Journal(data, "vp1", zone.clock, Json.MAPPER, 1000);
        ReconcileLoop<DnsStep> r = zone.reconciler(zone.provider(TOKEN, 500), journal, executor);
        r.desire(zone.allHealthy(), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(measure("first reconcile after a start")).isEqualTo(2);
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(measure("reconcile with nothing to do")).isEqualTo(1);

        r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        // read, cdn -1, apex -1, r1 +1 then -1, verification read
        assertThat(measure("one region dying")).isEqualTo(6);

        // the region's return after hold-down: a lost creation of r1 that shows 5 s later
        zone.decide(HEALTHY, HEALTHY, HEALTHY);
        zone.clock.advance(Duration.ofSeconds(61));
        r.desire(zone.decide(HEALTHY, HEALTHY, HEALTHY), Map.of());
        emulator.inject(Fault.writeAppliedLate(1, Duration.ofSeconds(5)).fromThe(3));
        assertThat(r.runOnce()).isEqualTo(Outcome.RETRYABLE_ERROR);
        measure("the region's return, creation lost");
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        // read, 3 polls for r1 (2, 4, 6 s: it shows at 5 s), r1 -1, verification read
        assertThat(measure("the rest of it, the lost creation settled")).isEqualTo(6);
    }

    @Test
    void relayPassesAndNodeBalancerPolls() throws Exception {
        Map<String, long[]> nb = new LinkedHashMap<>();
        StringBuilder regions = new StringBuilder();
        int i = 1;
        for (String region : List.of("europe", "americas", "apac")) {
            long id = emulator.addNodeBalancer("nb-" + region);
            long config = emulator.addConfig(id, 80);
            emulator.addNode(id, config, region + "-web1", "127.0.13" + i + ".11:80", "accept");
            long relay =
                    emulator.addNode(
                            id, config, region + "-relay", "127.0.13" + i + ".20:80", "reject");
            nb.put(region, new long[] {id, config, relay});
            regions.append(
                    """
                        %s:
                          load-balancer: {ipv4: 127.0.9%d.1, nodebalancer-id: %d}
                          relay:
                            address: 127.0.9%d.5
                            control: {nodebalancer-config-id: %d, node-id: %d, runtime-api: "tcp:127.0.9%d.5:9999"}
                    """
                            .formatted(region, i, id, i, config, relay, i));
            i++;
        }
        Topology topology =
                ConfigFixtures.topology(
                        "pharos:\n  node: {name: vp1}\n  regions:\n"
                                + regions
                                + "  loadbalancer: {provider: linode, linode-token: unused}\n");
        journal = new Journal(data, "vp1", java.time.Clock.systemUTC(), Json.MAPPER, 1000);
        Map<String, Optional<String>> forward = new HashMap<>();
        ForwardTargetSetter relaysHaproxy =
                new ForwardTargetSetter() {
                    public Optional<String> forwardTarget(Region region) {
                        return forward.getOrDefault(region.name(), Optional.empty());
                    }

                    public void setForwardTarget(Region region, Optional<String> endpoint) {
                        forward.put(region.name(), endpoint);
                    }
                };
        var client =
                dev.pharos.actuator.linode.LinodeClient.create(
                        emulator.baseUrl(),
                        TOKEN,
                        dev.pharos.actuator.linode.RateBudget.perMinute(
                                100, java.time.Clock.systemUTC()),
                        d -> Thread.sleep(d.toMillis()),
                        dev.pharos.actuator.linode.LinodeClient.Settings.defaults());
        ReconcileLoop<RelayStep> relays =
                new ReconcileLoop<>(
                        new RelayStep(
                                topology,
                                new LinodeRelayActuator(client, Optional.of(relaysHaproxy)),
                                journal,
                                new RelayMetrics(topology, new SimpleMeterRegistry()),
                                new dev.pharos.actuator.ActuatorMetrics(new SimpleMeterRegistry()),
                                java.time.Clock.systemUTC()),
                        new LoopSettings(ActuatorMode.APPLY, Optional.empty()),
                        journal,
                        java.time.Clock.systemUTC(),
                        LoopScheduler.on(executor));

        relays.desire(relaysOn(), Map.of());
        assertThat(relays.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(measure("relay pass, nothing to switch (3 regions)")).isEqualTo(3);
        relays.desire(relaysOn("europe"), Map.of());
        assertThat(relays.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(emulator.mode(nb.get("europe")[1], nb.get("europe")[2])).isEqualTo("accept");
        assertThat(measure("relay pass, one relay switched on (3 regions)")).isEqualTo(5);

        // what the NodeBalancer watch reads of one region per poll (one config), label first
        long[] europe = nb.get("europe");
        client.nodeBalancer(europe[0]);
        measure("NodeBalancer label, once");
        for (var c : client.configs(europe[0])) {
            client.nodes(europe[0], c.id());
        }
        assertThat(measure("NodeBalancer poll, one config")).isEqualTo(2);
    }

    /** Relays on (to americas, or apac for americas) for these regions, off for the others. */
    private static DesiredState relaysOn(String... on) {
        Map<String, RelayDecision> d = new LinkedHashMap<>();
        for (String r : List.of("europe", "americas", "apac")) {
            boolean yes = List.of(on).contains(r);
            d.put(
                    r,
                    new RelayDecision(
                            r,
                            yes
                                    ? Optional.of(r.equals("americas") ? "apac" : "americas")
                                    : Optional.empty(),
                            yes ? "relaying" : "serving"));
        }
        return new DesiredState(Map.of(), d, List.of(), false);
    }
}
