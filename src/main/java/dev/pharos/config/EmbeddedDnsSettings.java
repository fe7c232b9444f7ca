package dev.pharos.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The embedded DNS server ({@code pharos.dns.embedded}), validated: where it listens, its limits
 * and the fixed part of the zone it serves.
 *
 * @param rateLimit responses per second per client network before rate limiting (0 = off)
 * @param rateLimitSlip every n-th limited response is sent truncated (0: all dropped)
 * @param geoDatabase the location database of geo records (a MaxMind DB file), if any
 */
public record EmbeddedDnsSettings(
        List<InetAddress> listen,
        int port,
        ZoneSettings zone,
        int rateLimit,
        int rateLimitSlip,
        Duration tcpIdleTimeout,
        int maxTcpConnections,
        Optional<Path> geoDatabase) {

    public EmbeddedDnsSettings {
        listen = List.copyOf(listen);
    }

    /** Without a location database. */
    public EmbeddedDnsSettings(
            List<InetAddress> listen,
            int port,
            ZoneSettings zone,
            int rateLimit,
            int rateLimitSlip,
            Duration tcpIdleTimeout,
            int maxTcpConnections) {
        this(
                listen,
                port,
                zone,
                rateLimit,
                rateLimitSlip,
                tcpIdleTimeout,
                maxTcpConnections,
                Optional.empty());
    }
}
