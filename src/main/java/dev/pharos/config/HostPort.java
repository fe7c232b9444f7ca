package dev.pharos.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * An IP address and a port, written {@code 127.0.0.1:53} or {@code [::1]:53}. Never a host name:
 * reading the configuration does no DNS lookup.
 */
public record HostPort(InetAddress address, int port) {

    public static Parsed<HostPort> parse(String key, String text) {
        Parsed<HostPort> bad = Parsed.bad(key, "'" + text + "' is not an address:port");
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return bad;
        }
        Optional<InetAddress> a = IpLiterals.parseAny(text.substring(0, colon));
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            return bad;
        }
        if (port < 1 || port > 65535 || a.isEmpty()) {
            return bad;
        }
        return Parsed.ok(new HostPort(a.get(), port));
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /** address:port, IPv6 in brackets. */
    @Override
    public String toString() {
        return IpLiterals.format(address) + ":" + port;
    }
}
