package dev.pharos.actuator.lb.linode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.lb.ForwardTargetSetter;
import dev.pharos.actuator.lb.RelayActuator;
import dev.pharos.actuator.lb.RelayState;
import dev.pharos.actuator.linode.LinodeAppResource;
import dev.pharos.actuator.linode.LinodeClient;
import dev.pharos.actuator.linode.RateBudget;
import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import dev.pharos.testing.MutableClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay as a NodeBalancer node: in rotation (accept) and out (reject), against the emulator.
 */
@QuarkusTest
@QuarkusTestResource(value = LinodeAppResource.class, restrictToAnnotatedClass = true)
class LinodeRelayActuatorTest {
    static final String TOKEN = "relay-test-token-81c3-never-print-me";

    @Inject Topology appTopology;

    @Inject
    @Identifier("linode")
    RelayActuator bean;

    LinodeEmulator emulator;
    long nodeBalancer;
    long config;
    long relay;
    Region europe;

    @BeforeEach
    void start() {
        emulator = LinodeEmulator.start(LinodeSpec.require(), TOKEN, "127.0.85.4");
        nodeBalancer = emulator.addNodeBalancer("nb-europe");
        config = emulator.addConfig(nodeBalancer, 80);
        emulator.addNode(nodeBalancer, config, "europe-web1", "127.0.87.11:80", "accept");
        relay = emulator.addNode(nodeBalancer, config, "europe-relay", "127.0.87.5:80", "reject");
        europe =
                ConfigFixtures.topology(
                                """
                                pharos:
                                  node: {name: vp1}
                                  regions:
                                    europe:
                                      load-balancer: {ipv4: 127.0.87.1, nodebalancer-id: %d}
                                      relay:
                                        address: 127.0.87.5
                                        control: {nodebalancer-config-id: %d, node-id: %d, runtime-api: "unix:/nonexistent/relay.sock"}
                                  loadbalancer: {provider: linode, linode-token: unused}
                                """
                                        .formatted(nodeBalancer, config, relay))
                        .region("europe")
                        .orElseThrow();
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            assertThat(emulator.violations()).as("outside Linode's API description").isEmpty();
            emulator.close();
        }
    }

    private LinodeRelayActuator actuator(Optional<ForwardTargetSetter> setter) {
        MutableClock clock = MutableClock.atEpoch();
        LinodeClient client =
                LinodeClient.create(
                        emulator.baseUrl(),
                        TOKEN,
                        RateBudget.perMinute(100, clock),
                        clock::advanceSleeping,
                        LinodeClient.Settings.defaults());
        return new LinodeRelayActuator(client, setter);
    }

    @Test
    void theRelayNodeSwitchesIntoRotationAndBackOut() throws Exception {
        LinodeRelayActuator a = actuator(Optional.empty());
        RelayState before = a.read(europe);
        assertThat(before.inRotation()).isFalse();
        assertThat(before.details())
                .containsEntry("mode", "reject")
                .containsEntry("status", "DOWN");

        a.setInRotation(europe, true);
        assertThat(emulator.mode(config, relay)).isEqualTo("accept");
        RelayState on = a.read(europe);
        assertThat(on.inRotation()).isTrue();
        assertThat(on.details())
                .containsEntry("status", "UP")
                .containsEntry("label", "europe-relay");

        a.setInRotation(europe, true);
        a.setInRotation(europe, false);
        assertThat(emulator.mode(config, relay)).isEqualTo("reject");
        assertThat(a.read(europe).inRotation()).isFalse();
        assertThat(emulator.calls())
                .filteredOn(LinodeEmulator.Call::write)
                .extracting(LinodeEmulator.Call::method, LinodeEmulator.Call::path)
                .containsOnly(
                        org.assertj.core.groups.Tuple.tuple(
                                "PUT",
                                "/v4/nodebalancers/"
                                        + nodeBalancer
                                        + "/configs/"
                                        + config
                                        + "/nodes/"
                                        + relay))
                .hasSize(3);
    }

    @Test
    void aForwardTargetWithoutAnHaproxyClientIsAPermanentErrorThatSaysSo() {
        ActuatorException e =
                catchThrowableOfType(
                        ActuatorException.class,
                        () ->
                                actuator(Optional.empty())
                                        .setForwardTarget(europe, Optional.of("127.0.88.1:80")));
        assertThat(e.kind()).isEqualTo(ActuatorException.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("runtime-API client").contains("europe");
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void theForwardTargetIsDelegatedWhenASetterExists() throws Exception {
        List<Optional<String>> set = new ArrayList<>();
        ForwardTargetSetter setter =
                new ForwardTargetSetter() {
                    public Optional<String> forwardTarget(Region region) {
                        return set.isEmpty() ? Optional.empty() : set.get(set.size() - 1);
                    }

                    public void setForwardTarget(Region region, Optional<String> endpoint) {
                        set.add(endpoint);
                    }
                };
        LinodeRelayActuator a = actuator(Optional.of(setter));
        a.setForwardTarget(europe, Optional.of("127.0.88.1:80"));
        assertThat(a.read(europe).forwardTo()).contains("127.0.88.1:80");
    }

    @Test
    void aRegionWithoutItsRelayNodeIsAPermanentErrorNamingTheKey() {
        Region bare =
                ConfigFixtures.topology(
                                """
                                pharos:
                                  node: {name: vp1}
                                  regions:
                                    apac: {load-balancer: {ipv4: 127.0.88.1}, relay: {address: 127.0.88.5}}
                                """)
                        .region("apac")
                        .orElseThrow();
        ActuatorException e =
                catchThrowableOfType(
                        ActuatorException.class,
                        () -> actuator(Optional.empty()).setInRotation(bare, true));
        assertThat(e.kind()).isEqualTo(ActuatorException.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("pharos.regions.apac.relay.control.nodebalancer-id");
    }

    @Test
    void theConfiguredBeanDrivesTheApplicationsNodeBalancer() throws Exception {
        Region region = appTopology.region("europe").orElseThrow();
        assertThat(bean.name()).isEqualTo("linode");
        assertThat(bean.read(region).inRotation()).isFalse();
        bean.setInRotation(region, true);
        assertThat(
                        LinodeAppResource.emulator.mode(
                                LinodeAppResource.config, LinodeAppResource.relay))
                .isEqualTo("accept");
        bean.setInRotation(region, false);
        assertThat(bean.read(region).inRotation()).isFalse();
        // the forward target goes to the relay's own HAProxy, through its runtime API
        bean.setForwardTarget(region, Optional.of("127.0.88.1:9"));
        assertThat(bean.read(region).forwardTo()).contains("127.0.88.1:9");
        bean.setForwardTarget(region, Optional.empty());
        assertThat(bean.read(region).forwardTo()).isEmpty();
    }
}
