package dev.pharos.config;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where an HAProxy runtime API listens: {@code unix:/run/haproxy/admin.sock} or {@code
 * tcp:127.0.0.1:9999}.
 */
public record RuntimeEndpoint(SocketAddress address, String text) {

    public static Parsed<RuntimeEndpoint> parse(String key, String text) {
        Parsed<RuntimeEndpoint> bad =
                Parsed.bad(key, "'" + text + "' is neither unix:/path nor tcp:address:port");
        if (text.startsWith("unix:") && text.length() > 5) {
            try {
                return Parsed.ok(
                        new RuntimeEndpoint(
                                UnixDomainSocketAddress.of(Path.of(text.substring(5))), text));
            } catch (InvalidPathException e) {
                return bad;
            }
        }
        if (text.startsWith("tcp:")) {
            return HostPort.parse(key, text.substring(4))
                    .valid()
                    .map(a -> Parsed.ok(new RuntimeEndpoint(a.socketAddress(), text)))
                    .orElse(bad);
        }
        return bad;
    }

    @Override
    public String toString() {
        return text;
    }
}
