package dev.pharos.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The embedded DNS server ({@code pharos.dns.embedded}), validated: where it listens, its limits
 * and the fixed part of the zone it serves.
 *
 * @param rateLimit responses per second per client network before rate limiting (0 = off)
 * @param rateLimitSlip every n-th limited response is sent truncated (0: all dropped)
 */
public record EmbeddedDnsSettings(
        List<InetAddress> listen,
        int port,
        ZoneSettings zone,
        int rateLimit,
        int rateLimitSlip,
        Duration tcpIdleTimeout,
        int maxTcpConnections) {

    public EmbeddedDnsSettings {
        listen = List.copyOf(listen);
    }
}
