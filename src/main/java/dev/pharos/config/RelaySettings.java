package dev.pharos.config;

import java.util.Optional;

/** How Pharos drives a region's relay; see the relay section of the architecture notes. */
public record RelaySettings(
        Optional<RuntimeEndpoint> runtimeApi,
        String forwardBackend,
        Optional<RuntimeEndpoint> lbRuntimeApi,
        String lbBackend,
        String lbServer,
        Optional<Long> nodebalancerId,
        Optional<Long> nodebalancerConfigId,
        Optional<Long> nodeId) {}
