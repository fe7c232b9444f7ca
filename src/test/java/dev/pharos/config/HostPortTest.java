package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @Test
    void anIpv4AndAnIpv6AddressWithAPortAreRead() {
        HostPort v4 = HostPort.parse("k", "127.0.0.1:53").orElseThrow();
        assertThat(v4.socketAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 53));
        assertThat(v4).hasToString("127.0.0.1:53");
        HostPort v6 = HostPort.parse("k", "[::1]:5353").orElseThrow();
        assertThat(v6.socketAddress()).isEqualTo(new InetSocketAddress("::1", 5353));
        assertThat(v6).hasToString("[::1]:5353");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                ":53",
                "127.0.0.1:0",
                "127.0.0.1:65536",
                "127.0.0.1:dns",
                "localhost:53",
                "ns1.example.test:53",
                "300.0.0.1:53",
                "[fe80::1%eth0]:53"
            })
    void anythingElseIsAProblemNamingTheKey(String text) {
        Parsed<HostPort> p = HostPort.parse("pharos.dns.rfc2136.server", text);
        assertThat(p)
                .isEqualTo(
                        Parsed.bad(
                                "pharos.dns.rfc2136.server",
                                "'" + text + "' is not an address:port"));
        assertThat(p.valid()).isEmpty();
        assertThatThrownBy(p::orElseThrow)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("pharos.dns.rfc2136.server: '" + text + "'");
    }
}
