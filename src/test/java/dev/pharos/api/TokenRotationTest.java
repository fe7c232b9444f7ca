package dev.pharos.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.TokenList;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A token setting may list several tokens, so that one can be rotated without downtime. */
class TokenRotationTest {
    private static final String YAML =
            """
            pharos:
              node: {name: vp1}
              regions:
                europe:
                  load-balancer: {ipv4: 127.0.1.1}
            """;

    private static Tokens tokens(Map<String, String> env) {
        return new Tokens(ConfigFixtures.topology(YAML, env).api());
    }

    @Test
    void everyListedPeerTokenIsAcceptedAndOthersAreNot() {
        Tokens t = tokens(Map.of("pharos.api.peer-token", "new-token, old-token"));
        assertThat(t.configured(TokenKind.PEER)).isTrue();
        assertThat(t.matches(TokenKind.PEER, "new-token")).isTrue();
        assertThat(t.matches(TokenKind.PEER, "old-token")).isTrue();
        assertThat(t.matches(TokenKind.PEER, "new-token, old-token")).isFalse();
        assertThat(t.matches(TokenKind.PEER, "other")).isFalse();
        assertThat(t.matches(TokenKind.PEER, "")).isFalse();
        assertThat(t.matches(TokenKind.PEER, null)).isFalse();
    }

    @Test
    void aSingleTokenWorksAsBefore() {
        Tokens t = tokens(Map.of("pharos.api.admin-token", "s3cret"));
        assertThat(t.matches(TokenKind.ADMIN, "s3cret")).isTrue();
        assertThat(t.matches(TokenKind.ADMIN, "s3cret2")).isFalse();
        assertThat(t.configured(TokenKind.PEER)).isFalse();
    }

    @Test
    void blankEntriesAreIgnoredAndABlankListConfiguresNothing() {
        Tokens t =
                tokens(Map.of("pharos.api.alert-token", " , ", "pharos.api.read-token", "a,,b,"));
        assertThat(t.configured(TokenKind.ALERT)).isFalse();
        assertThat(t.matches(TokenKind.READ, "a")).isTrue();
        assertThat(t.matches(TokenKind.READ, "b")).isTrue();
        assertThat(t.matches(TokenKind.READ, "")).isFalse();
    }

    @Test
    void theFirstListedTokenIsTheOnePresentedToPeers() {
        assertThat(TokenList.parse(Optional.of(" new , old ")).presented()).contains("new");
        assertThat(TokenList.parse(Optional.of("only")).presented()).contains("only");
        assertThat(TokenList.parse(Optional.of(" , ")).presented()).isEmpty();
        assertThat(TokenList.parse(Optional.empty()).presented()).isEmpty();
    }
}
