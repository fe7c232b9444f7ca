package dev.pharos.actuator.lb.haproxy;

import dev.pharos.config.TopologyBuilder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where an HAProxy runtime API listens: {@code unix:/run/haproxy/admin.sock} or {@code
 * tcp:127.0.0.1:9999}.
 */
public record RuntimeEndpoint(SocketAddress address, String text) {

    public static RuntimeEndpoint parse(String text) {
        if (text.startsWith("unix:") && text.length() > 5) {
            return new RuntimeEndpoint(
                    UnixDomainSocketAddress.of(Path.of(text.substring(5))), text);
        }
        if (text.startsWith("tcp:")) {
            InetSocketAddress a =
                    TopologyBuilder.parseHostPort(text.substring(4))
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "not address:port: " + text));
            return new RuntimeEndpoint(a, text);
        }
        throw new IllegalArgumentException("neither unix:/path nor tcp:address:port: " + text);
    }

    @Override
    public String toString() {
        return text;
    }
}
