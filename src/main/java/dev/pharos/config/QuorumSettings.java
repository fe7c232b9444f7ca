package dev.pharos.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * @param vantagePoints this node's name first, then the peers'
 * @param size votes needed for a verdict
 * @param maxClockSkew how far a peer's clock may run ahead of this one ({@code startedAt})
 * @param tlsConfigurationName the Quarkus TLS configuration for https peers (checked to exist);
 *     empty: the default one, if any
 */
public record QuorumSettings(
        List<String> vantagePoints,
        int size,
        Duration staleAfter,
        int warmupRounds,
        Duration exchangeInterval,
        Duration exchangeTimeout,
        Duration maxClockSkew,
        Optional<String> tlsConfigurationName) {}
