package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Secrets in the validated settings never show in their text (which a log line might print). */
class SecretsTest {

    @Test
    void aSecretAndATokenListHideTheirValues() {
        assertThat(new Secret("s3cret").toString()).doesNotContain("s3cret");
        assertThat(Secret.of(Optional.of("  "))).isEmpty();
        TokenList tokens = TokenList.parse(Optional.of("new-token, old-token"));
        assertThat(tokens.tokens()).containsExactly("new-token", "old-token");
        assertThat(tokens.toString()).doesNotContain("token,").doesNotContain("new-token");
    }

    @Test
    void theWholeTopologyPrintsNoSecret() {
        String yaml =
                """
                pharos:
                  node: {name: vp1}
                  peers:
                    - {name: vp2, url: "http://127.0.9.2:8080", token-sha256: bb158dace1a1606db3d28c30d4cd6bbf9ce33e42ce632c97358fb0869350f6f2}
                  regions:
                    europe:
                      load-balancer: {ipv4: 127.0.1.1}
                  records:
                    - {name: cdn.example.test, type: round-robin}
                  dns:
                    provider: rfc2136
                    zone: example.test
                    rfc2136: {server: "127.0.0.1:53", tsig-key-name: pharos}
                    linode: {token: linode-dns-7f3a}
                  alerts:
                    receivers:
                      - {name: ops, url: "http://127.0.0.1:9000/hook-9c1d"}
                      - {name: chat, type: slack, url: "https://127.0.0.1/slack-5e2b"}
                """;
        Topology t =
                ConfigFixtures.topology(
                        yaml,
                        Map.of(
                                "pharos.api.peer-token", "peer-1b7e",
                                "pharos.api.admin-token", "admin-4d8c",
                                "pharos.dns.rfc2136.tsig-secret", "c2VjcmV0LTZhOWY=",
                                "pharos.alerts.receivers[0].secret", "webhook-2f6b"));
        assertThat(t.dns().rfc2136().orElseThrow().tsig().orElseThrow().secret().value())
                .isEqualTo("c2VjcmV0LTZhOWY=");
        assertThat(t.toString())
                .doesNotContain("peer-1b7e")
                .doesNotContain("admin-4d8c")
                .doesNotContain("c2VjcmV0LTZhOWY=")
                .doesNotContain("linode-dns-7f3a")
                .doesNotContain("webhook-2f6b")
                .doesNotContain("slack-5e2b")
                .doesNotContain("hook-9c1d");
    }
}
