package dev.pharos.actuator.lb.linode;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.lb.ForwardTargetSetter;
import dev.pharos.actuator.lb.RelayActuator;
import dev.pharos.actuator.lb.RelayState;
import dev.pharos.actuator.linode.LinodeClient;
import dev.pharos.actuator.linode.LinodeClients;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancerNode;
import dev.pharos.config.Region;
import dev.pharos.config.RelaySettings;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A region's relay as a node of its Linode NodeBalancer ({@code pharos.loadbalancer.provider:
 * linode}): mode {@code accept} puts it in rotation, {@code reject} takes it out (Linode then stops
 * checking it, so it shows DOWN). Linode applies a mode change within about 60 seconds.
 *
 * <p>Where the relay forwards is set on the relay's own HAProxy, not on the NodeBalancer: that part
 * is delegated to a {@link ForwardTargetSetter} bean. Without one, asking to set a forward target
 * is a permanent error that says so.
 *
 * <p>Selected with {@code @Identifier("linode")}, not {@code @Named}: a bean name is global in CDI,
 * and the Linode DNS provider already carries {@code @Named("linode")}.
 */
@Singleton
@Identifier("linode")
@Unremovable
public class LinodeRelayActuator implements RelayActuator {
    static final String ACCEPT = "accept";
    static final String REJECT = "reject";

    private final Supplier<LinodeClient> client;
    private final Supplier<Optional<ForwardTargetSetter>> forwarder;

    @Inject
    public LinodeRelayActuator(LinodeClients clients, @Any Instance<ForwardTargetSetter> setters) {
        this(
                clients::loadBalancer,
                () -> setters.isResolvable() ? Optional.of(setters.get()) : Optional.empty());
    }

    public LinodeRelayActuator(LinodeClient client, Optional<ForwardTargetSetter> forwarder) {
        this(() -> client, () -> forwarder);
    }

    private LinodeRelayActuator(
            Supplier<LinodeClient> client, Supplier<Optional<ForwardTargetSetter>> forwarder) {
        this.client = client;
        this.forwarder = forwarder;
    }

    @Override
    public String name() {
        return "linode";
    }

    /** The relay node's ids: NodeBalancer, config, node. */
    record NodeIds(long nodeBalancer, long config, long node) {}

    @Override
    public RelayState read(Region region) throws ActuatorException {
        NodeIds ids = ids(region);
        NodeBalancerNode n = client.get().node(ids.nodeBalancer(), ids.config(), ids.node());
        Optional<ForwardTargetSetter> f = forwarder.get();
        Optional<String> forwardTo =
                f.isPresent() ? f.get().forwardTarget(region) : Optional.empty();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("nodebalancerId", Long.toString(ids.nodeBalancer()));
        details.put("configId", Long.toString(ids.config()));
        details.put("nodeId", Long.toString(ids.node()));
        details.put("label", String.valueOf(n.label()));
        details.put("address", String.valueOf(n.address()));
        details.put("mode", String.valueOf(n.mode()));
        details.put("status", String.valueOf(n.status()));
        return new RelayState(region.name(), ACCEPT.equals(n.mode()), forwardTo, details);
    }

    @Override
    public void setForwardTarget(Region region, Optional<String> endpoint)
            throws ActuatorException {
        Optional<ForwardTargetSetter> f = forwarder.get();
        if (f.isEmpty()) {
            throw ActuatorException.permanent(
                    "region "
                            + region.name()
                            + ": the linode load-balancer provider switches the relay's"
                            + " NodeBalancer node only; setting where the relay forwards needs"
                            + " the relay's HAProxy runtime-API client, which is not available"
                            + " in this build",
                    null);
        }
        f.get().setForwardTarget(region, endpoint);
    }

    @Override
    public void setInRotation(Region region, boolean inRotation) throws ActuatorException {
        NodeIds ids = ids(region);
        String mode = inRotation ? ACCEPT : REJECT;
        NodeBalancerNode n =
                client.get().setNodeMode(ids.nodeBalancer(), ids.config(), ids.node(), mode);
        if (!mode.equals(n.mode())) {
            throw ActuatorException.retryable(
                    "region "
                            + region.name()
                            + ": Linode answered mode "
                            + n.mode()
                            + " for relay node "
                            + ids.node()
                            + " after setting "
                            + mode,
                    null);
        }
    }

    static NodeIds ids(Region region) throws ActuatorException {
        RelaySettings s =
                region.relaySettings()
                        .orElseThrow(
                                () ->
                                        ActuatorException.permanent(
                                                "region " + region.name() + " has no relay", null));
        String key = "pharos.regions." + region.name() + ".relay.control.";
        return new NodeIds(
                require(s.nodebalancerId(), key + "nodebalancer-id"),
                require(s.nodebalancerConfigId(), key + "nodebalancer-config-id"),
                require(s.nodeId(), key + "node-id"));
    }

    private static long require(Optional<Long> id, String key) throws ActuatorException {
        if (id.isEmpty()) {
            throw ActuatorException.permanent(key + " is not set", null);
        }
        return id.get();
    }
}
