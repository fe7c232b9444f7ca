package dev.pharos.actuator.lb.haproxy;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.lb.RelayActuator;
import dev.pharos.actuator.lb.RelayState;
import dev.pharos.config.Region;
import dev.pharos.config.RelaySettings;
import dev.pharos.config.Topology;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code loadbalancer.provider: haproxy}: the region's load balancer is HAProxy. The relay is a
 * server of the region's backend ({@code lb-backend}/{@code lb-server}), normally in maintenance;
 * putting it in rotation sets it ready (it then takes traffic once its checks pass, and with the
 * region's backends dead it is the only server left). The forward target is set on the relay's own
 * HAProxy by {@link RelayForwarder}.
 */
@Singleton
@Identifier("haproxy")
public class HaproxyRelayActuator implements RelayActuator {
    private final Duration timeout;
    private final RelayForwarder forwarder;

    @Inject
    public HaproxyRelayActuator(Topology topology, RelayForwarder forwarder) {
        this.timeout = topology.loadBalancer().timeout();
        this.forwarder = forwarder;
    }

    public HaproxyRelayActuator(Duration timeout) {
        this.timeout = timeout;
        this.forwarder = new RelayForwarder(timeout);
    }

    @Override
    public String name() {
        return "haproxy";
    }

    private HaproxyRuntime lb(Region region) throws ActuatorException {
        RelaySettings s = RelayForwarder.settings(region);
        if (s.lbRuntimeApi().isEmpty()) {
            throw ActuatorException.permanent(
                    "pharos.regions." + region.name() + ".relay.control.lb-runtime-api is not set",
                    null);
        }
        return new HaproxyRuntime(s.lbRuntimeApi().get(), timeout);
    }

    @Override
    public RelayState read(Region region) throws ActuatorException {
        RelaySettings s = RelayForwarder.settings(region);
        ServerState relay = lb(region).server(s.lbBackend(), s.lbServer());
        Optional<String> forward = forwarder.forwardTarget(region);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("lbServer", s.lbBackend() + "/" + s.lbServer());
        details.put(
                "lbServerState",
                relay.maintenance()
                        ? "MAINT"
                        : relay.draining() ? "DRAIN" : relay.active() ? "UP" : "DOWN");
        return new RelayState(region.name(), !relay.maintenance(), forward, details);
    }

    @Override
    public void setForwardTarget(Region region, Optional<String> endpoint)
            throws ActuatorException {
        forwarder.setForwardTarget(region, endpoint);
    }

    @Override
    public void setInRotation(Region region, boolean inRotation) throws ActuatorException {
        RelaySettings s = RelayForwarder.settings(region);
        lb(region).setState(s.lbBackend(), s.lbServer(), inRotation ? "ready" : "maint");
    }
}
