package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** What the stages get from the topology: typed, validated settings, defaults filled in. */
class TypedSettingsTest {
    private static final String BASE =
            """
            pharos:
              node: {name: vp1}
              regions:
                europe:
                  load-balancer: {ipv4: 127.0.1.1, nodebalancer-id: 11}
                  relay:
                    address: 127.0.1.21
                    control:
                      runtime-api: "tcp:127.0.1.21:9999"
                      lb-runtime-api: unix:/run/haproxy/admin.sock
                      nodebalancer-config-id: 12
                      node-id: 13
              records:
                - {name: cdn.example.test, type: round-robin}
              dns:
                zone: Example.Test.
            """;

    @Test
    void theDefaultsAreTheEmbeddedServerAndNoLoadBalancer() throws Exception {
        Topology t = ConfigFixtures.topology(BASE);
        DnsSettings dns = t.dns();
        assertThat(dns.provider()).isEqualTo(DnsSettings.Provider.EMBEDDED);
        assertThat(dns.zone()).contains("example.test");
        EmbeddedDnsSettings e = dns.embedded().orElseThrow();
        assertThat(e.listen()).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(e.port()).isEqualTo(5353);
        assertThat(e.tcpIdleTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(e.zone().origin()).isEqualTo(Name.fromConstantString("example.test."));
        assertThat(e.zone().managedNames())
                .containsExactly(Name.fromConstantString("cdn.example.test."));
        assertThat(dns.rfc2136()).isEmpty();
        assertThat(dns.verifyServers()).isEmpty();
        assertThat(dns.resyncInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(t.loadBalancer().provider()).isEqualTo(LoadBalancerSettings.Provider.NONE);
        assertThat(t.loadBalancer().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(t.alerts().receivers()).isEmpty();
        assertThat(t.alerts().delivery().maxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(t.alerts().inbound().maxBytes()).isEqualTo(262144);
        assertThat(t.api().peer().isEmpty()).isTrue();
        assertThat(t.quorum().tlsConfigurationName()).isEmpty();
    }

    @Test
    void theRelayControlIsTypedAndTheNodeBalancerDefaultsToTheLoadBalancers() {
        Region europe = ConfigFixtures.topology(BASE).regions().get("europe");
        RelaySettings relay = europe.relaySettings().orElseThrow();
        assertThat(relay.runtimeApi().orElseThrow().address())
                .isEqualTo(new InetSocketAddress("127.0.1.21", 9999));
        assertThat(relay.lbRuntimeApi().orElseThrow()).hasToString("unix:/run/haproxy/admin.sock");
        assertThat(relay.nodebalancerId()).contains(11L);
        assertThat(europe.nodebalancerId()).contains(11L);
    }

    @Test
    void providersAreReadAsWrittenInAnyCaseAndWithBlanks() {
        Topology t =
                ConfigFixtures.topology(
                        BASE,
                        Map.of(
                                "pharos.dns.provider", " RFC2136 ",
                                "pharos.dns.rfc2136.server", "[::1]:5300",
                                "pharos.dns.rfc2136.tsig-key-name", "pharos-key",
                                "pharos.dns.rfc2136.tsig-secret", "c2VjcmV0",
                                "pharos.dns.verify-servers", "127.0.0.1:53,[::1]:53",
                                "pharos.loadbalancer.provider", "Linode",
                                "pharos.dns.linode.token", "dns-token"));
        DnsSettings dns = t.dns();
        assertThat(dns.provider()).isEqualTo(DnsSettings.Provider.RFC2136);
        assertThat(dns.embedded()).isEmpty();
        Rfc2136Settings r = dns.rfc2136().orElseThrow();
        assertThat(r.server()).isEqualTo(new InetSocketAddress("::1", 5300));
        assertThat(r.tsig().orElseThrow().algorithm()).isEqualTo(TsigAlgorithm.HMAC_SHA256);
        assertThat(r.tsig().orElseThrow().keyName()).isEqualTo("pharos-key");
        assertThat(dns.verifyServers().orElseThrow())
                .containsExactly(
                        new InetSocketAddress("127.0.0.1", 53), new InetSocketAddress("::1", 53));
        assertThat(t.loadBalancer().provider()).isEqualTo(LoadBalancerSettings.Provider.LINODE);
        // without a NodeBalancer token of its own, the DNS one serves both
        assertThat(t.loadBalancer().linodeToken().map(Secret::value)).contains("dns-token");
    }

    @Test
    void theEmbeddedServerIsOffWithAnotherProviderOrWithoutAZone() {
        assertThat(
                        ConfigFixtures.topology(BASE, Map.of("pharos.dns.provider", "none"))
                                .dns()
                                .embedded())
                .isEmpty();
        String noZone =
                BASE.replace("  records:\n    - {name: cdn.example.test, type: round-robin}\n", "")
                        .replace("  dns:\n    zone: Example.Test.\n", "");
        assertThat(ConfigFixtures.topology(noZone).dns().embedded()).isEmpty();
    }

    @Test
    void receiversAreTyped() {
        String yaml =
                BASE
                        + """
                          alerts:
                            receivers:
                              - {name: chat, type: slack, url: "https://127.0.0.1/hook", events: [quorum_lost]}
                        """;
        AlertSettings.Receiver r = ConfigFixtures.topology(yaml).alerts().receivers().get(0);
        assertThat(r.type()).isEqualTo(AlertSettings.ReceiverType.SLACK);
        assertThat(r.url()).isEqualTo(URI.create("https://127.0.0.1/hook"));
        assertThat(r.secret()).isEmpty();
        assertThat(r.events()).containsExactly("quorum_lost");
        assertThat(r).hasToString("receiver chat (slack)");
    }

    @Test
    void aTlsConfigurationThatQuarkusHasIsAccepted() {
        String yaml =
                BASE
                        + """
                          peers:
                            - {name: vp2, url: "https://127.0.9.2:8443", token-sha256: bb158dace1a1606db3d28c30d4cd6bbf9ce33e42ce632c97358fb0869350f6f2}
                          quorum: {tls-configuration-name: peer}
                          api: {peer-token: "new, old"}
                        """;
        Topology t = TopologyBuilder.build(ConfigFixtures.mapping(yaml, Map.of()), "peer"::equals);
        assertThat(t.quorum().tlsConfigurationName()).contains("peer");
        assertThat(t.api().peer().tokens()).isEqualTo(List.of("new", "old"));
    }
}
