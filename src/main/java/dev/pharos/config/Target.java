package dev.pharos.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One thing probed: a region's load balancer (IPv4 and IPv6 are separate targets), a backend, a
 * relay, or a canary.
 *
 * @param id stable identifier used in the API, metrics and the journal, e.g. {@code
 *     europe/lb/ipv4}, {@code europe/backend/web1}, {@code europe/relay}, {@code canary/quad9}
 * @param region the region it belongs to; empty for canaries
 */
public record Target(
        String id,
        TargetKind kind,
        Optional<String> region,
        String name,
        Family family,
        InetAddress address,
        int port,
        ProbeSpec probe) {

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /** address:port with IPv6 in brackets. */
    public String endpoint() {
        return new HostPort(address, port).toString();
    }

    public static String loadBalancerId(String region, Family family) {
        return region + "/lb/" + family.label();
    }

    public static String backendId(String region, String backend) {
        return region + "/backend/" + backend;
    }

    public static String relayId(String region) {
        return region + "/relay";
    }

    public static String canaryId(String name) {
        return "canary/" + name;
    }
}
