package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up checks of {@code pharos.api.peer-mtls}: what mutual TLS between peers needs. */
class PeerMtlsConfigTest {
    private static final String PEERS_WITHOUT_TOKENS =
            """
            pharos:
              node: {name: vp1}
              api: {peer-mtls: true}
              quorum: {tls-configuration-name: peer}
              peers:
                - {name: vp2, url: "https://127.0.9.2:8443"}
                - {name: vp3, url: "https://127.0.9.3:8443"}
              regions:
                europe:
                  load-balancer: {ipv4: 127.0.1.1}
            """;

    private static final PeerTlsFacts COMPLETE =
            new PeerTlsFacts("request", "quarkus.tls.peer", true, "quarkus.tls.peer", true);

    private static Topology build(String yaml, PeerTlsFacts facts) {
        return TopologyBuilder.build(ConfigFixtures.mapping(yaml, Map.of()), "peer"::equals, facts);
    }

    private static List<ConfigProblem> problems(String yaml, PeerTlsFacts facts) {
        InvalidConfigException e =
                catchThrowableOfType(InvalidConfigException.class, () -> build(yaml, facts));
        assertThat(e).as("start-up refuses the configuration").isNotNull();
        return e.problems();
    }

    @Test
    void withMutualTlsPeersNeedNoTokenDigestAndThisNodeNoPeerToken() {
        Topology t = build(PEERS_WITHOUT_TOKENS, COMPLETE);
        assertThat(t.quorum().peerMtls()).isTrue();
        assertThat(t.peers()).extracting(PeerInfo::name).containsExactly("vp2", "vp3");
        assertThat(t.peers()).allSatisfy(p -> assertThat(p.tokenSha256()).isEmpty());
        assertThat(t.api().peer().presented()).isEmpty();
        assertThat(build(PEERS_WITHOUT_TOKENS, COMPLETE.withClientAuth("REQUIRED")).peers())
                .hasSize(2);
    }

    @Test
    void withoutMutualTlsTheTokensAreStillRequired() {
        String yaml = PEERS_WITHOUT_TOKENS.replace("api: {peer-mtls: true}", "api: {}");
        assertThat(problems(yaml, COMPLETE))
                .extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder(
                        "pharos.peers[0].token-sha256",
                        "pharos.peers[1].token-sha256",
                        "pharos.api.peer-token");
    }

    @Test
    void mutualTlsWithoutTheTlsSettingsItNeedsFailsNamingEachMissingKey() {
        assertThat(problems(PEERS_WITHOUT_TOKENS, PeerTlsFacts.NONE))
                .extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder(
                        "quarkus.http.ssl.client-auth",
                        "quarkus.tls.trust-store",
                        "quarkus.tls.key-store");
        List<ConfigProblem> named =
                problems(
                        PEERS_WITHOUT_TOKENS,
                        new PeerTlsFacts(
                                "none", "quarkus.tls.api", false, "quarkus.tls.peer", false));
        assertThat(named)
                .extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder(
                        "quarkus.http.ssl.client-auth",
                        "quarkus.tls.api.trust-store",
                        "quarkus.tls.peer.key-store");
        assertThat(named.get(0).message())
                .isEqualTo(
                        "must be request or required when pharos.api.peer-mtls is true, got none");
    }

    @Test
    void mutualTlsRefusesAPlainHttpPeer() {
        String yaml = PEERS_WITHOUT_TOKENS.replace("https://127.0.9.3", "http://127.0.9.3");
        assertThat(problems(yaml, COMPLETE))
                .extracting(ConfigProblem::key)
                .containsExactly("pharos.peers[1].url");
    }
}
