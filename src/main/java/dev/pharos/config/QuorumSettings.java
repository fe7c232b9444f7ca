package dev.pharos.config;

import java.time.Duration;
import java.util.List;

/**
 * @param vantagePoints this node's name first, then the peers'
 * @param size votes needed for a verdict
 */
public record QuorumSettings(
        List<String> vantagePoints,
        int size,
        Duration staleAfter,
        int warmupRounds,
        Duration exchangeInterval,
        Duration exchangeTimeout) {}
