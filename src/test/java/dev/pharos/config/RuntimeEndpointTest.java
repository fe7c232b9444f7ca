package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuntimeEndpointTest {

    @Test
    void aUnixSocketAndATcpAddressAreRead() {
        RuntimeEndpoint unix =
                RuntimeEndpoint.parse("k", "unix:/run/haproxy/admin.sock").orElseThrow();
        assertThat(unix.address())
                .isEqualTo(UnixDomainSocketAddress.of(Path.of("/run/haproxy/admin.sock")));
        assertThat(unix).hasToString("unix:/run/haproxy/admin.sock");
        RuntimeEndpoint tcp = RuntimeEndpoint.parse("k", "tcp:[::1]:9999").orElseThrow();
        assertThat(tcp.address()).isEqualTo(new InetSocketAddress("::1", 9999));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "unix:",
                "tcp:",
                "tcp:127.0.0.1",
                "tcp:localhost:9999",
                "/run/haproxy.sock",
                "udp:127.0.0.1:1"
            })
    void anythingElseIsAProblemNamingTheKey(String text) {
        assertThat(RuntimeEndpoint.parse("pharos.regions.europe.relay.control.runtime-api", text))
                .isEqualTo(
                        Parsed.bad(
                                "pharos.regions.europe.relay.control.runtime-api",
                                "'" + text + "' is neither unix:/path nor tcp:address:port"));
    }
}
