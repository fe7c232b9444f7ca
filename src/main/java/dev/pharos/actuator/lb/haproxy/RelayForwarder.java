package dev.pharos.actuator.lb.haproxy;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.lb.ForwardTargetSetter;
import dev.pharos.config.IpLiterals;
import dev.pharos.config.Region;
import dev.pharos.config.RelaySettings;
import dev.pharos.config.Topology;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;

/**
 * Sets where a relay forwards, through the relay's own HAProxy runtime API: the {@code target}
 * server of its forward backend (see deploy/relay/haproxy.cfg.tmpl) gets the far region's address
 * and is set ready, or is put in maintenance when the relay should not forward. Shared by every
 * load-balancer provider: the relay is HAProxy whatever the region's load balancer is.
 */
@Singleton
public class RelayForwarder implements ForwardTargetSetter {
    /** The server in the relay's forward backend that Pharos points at the far region. */
    public static final String SERVER = "target";

    private final Duration timeout;

    @Inject
    public RelayForwarder(Topology topology) {
        this(topology.loadBalancer().timeout());
    }

    public RelayForwarder(Duration timeout) {
        this.timeout = timeout;
    }

    private HaproxyRuntime runtime(Region region) throws ActuatorException {
        RelaySettings s = settings(region);
        if (s.runtimeApi().isEmpty()) {
            throw ActuatorException.permanent(
                    "pharos.regions." + region.name() + ".relay.control.runtime-api is not set",
                    null);
        }
        return new HaproxyRuntime(s.runtimeApi().get(), timeout);
    }

    static RelaySettings settings(Region region) throws ActuatorException {
        return region.relaySettings()
                .orElseThrow(
                        () ->
                                ActuatorException.permanent(
                                        "region " + region.name() + " has no relay", null));
    }

    /** The endpoint the relay forwards to now, if its target server is in service. */
    @Override
    public Optional<String> forwardTarget(Region region) throws ActuatorException {
        ServerState s = runtime(region).server(settings(region).forwardBackend(), SERVER);
        return s.maintenance() ? Optional.empty() : Optional.of(s.endpoint());
    }

    @Override
    public void setForwardTarget(Region region, Optional<String> endpoint)
            throws ActuatorException {
        HaproxyRuntime rt = runtime(region);
        String backend = settings(region).forwardBackend();
        if (endpoint.isEmpty()) {
            rt.setState(backend, SERVER, "maint");
            return;
        }
        String e = endpoint.get();
        int colon = e.lastIndexOf(':');
        String host = e.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String ip =
                IpLiterals.parseAny(host)
                        .map(IpLiterals::toText)
                        .orElseThrow(() -> new IllegalArgumentException("not address:port: " + e));
        rt.setAddress(backend, SERVER, ip, Integer.parseInt(e.substring(colon + 1)));
        rt.setState(backend, SERVER, "ready");
    }
}
