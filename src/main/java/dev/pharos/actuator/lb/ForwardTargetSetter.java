package dev.pharos.actuator.lb;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.config.Region;
import java.util.Optional;

/**
 * Sets where a region's relay forwards (its HAProxy's forward backend, through the runtime API).
 * Load-balancer actuators that only switch the relay in and out of rotation (a Linode NodeBalancer)
 * delegate this part to a bean of this type.
 */
public interface ForwardTargetSetter {
    /** Where the relay forwards now ("address:port"), if anywhere. */
    Optional<String> forwardTarget(Region region) throws ActuatorException;

    /** Sets where the relay forwards, or clears it (empty). Idempotent. */
    void setForwardTarget(Region region, Optional<String> endpoint) throws ActuatorException;
}
