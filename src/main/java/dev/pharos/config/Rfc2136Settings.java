package dev.pharos.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * RFC 2136 dynamic updates ({@code pharos.dns.rfc2136}), validated.
 *
 * @param server the primary server
 * @param tsig the key updates are signed with, if any
 * @param timeout of one update or query
 */
public record Rfc2136Settings(InetSocketAddress server, Optional<Tsig> tsig, Duration timeout) {

    /**
     * @param secret base64, already checked
     */
    public record Tsig(String keyName, TsigAlgorithm algorithm, Secret secret) {}
}
