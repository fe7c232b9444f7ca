package dev.pharos.actuator.lb;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.config.Region;
import java.util.Optional;

/**
 * Drives a region's relay: where it forwards, and whether the region's load balancer sends traffic
 * to it. Implementations are chosen by {@code pharos.loadbalancer.provider} (CDI
 * {@code @Identifier}: a {@code @Named} bean name is global, and "linode" is also a DNS
 * provider's).
 *
 * <p>The contract: to turn a relay on, set the forward target first, then put the relay in
 * rotation; to turn it off, take it out of rotation first, then clear the target. Each call is
 * idempotent. Errors are {@link ActuatorException}s, retryable or permanent.
 */
public interface RelayActuator {
    String name();

    /** What the provider shows now for the region's relay. */
    RelayState read(Region region) throws ActuatorException;

    /** Sets where the relay forwards ("address:port"), or clears it (empty). */
    void setForwardTarget(Region region, Optional<String> endpoint) throws ActuatorException;

    /** Puts the relay into, or out of, the region's rotation. */
    void setInRotation(Region region, boolean inRotation) throws ActuatorException;
}
