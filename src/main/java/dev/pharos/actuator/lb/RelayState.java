package dev.pharos.actuator.lb;

import java.util.Map;
import java.util.Optional;

/**
 * A relay as a load-balancer provider sees it.
 *
 * @param inRotation the relay receives the region's traffic (NodeBalancer node mode accept, or the
 *     relay server enabled in the region's HAProxy)
 * @param forwardTo the endpoint ("address:port") the relay forwards to, if it has one
 * @param details provider specifics for the API (node status, HAProxy server state, ...)
 */
public record RelayState(
        String region,
        boolean inRotation,
        Optional<String> forwardTo,
        Map<String, String> details) {}
