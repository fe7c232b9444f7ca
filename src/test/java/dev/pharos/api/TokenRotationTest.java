package dev.pharos.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.TokenList;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A token setting may list several tokens, so that one can be rotated without downtime. */
class TokenRotationTest {
    private static final String YAML = "pharos:\n  node: {name: vp1}\n";

    private static Tokens tokens(Map<String, String> env) {
        return new Tokens(ConfigFixtures.mapping(YAML, env));
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
        assertThat(TokenList.presented(Optional.of(" new , old "))).contains("new");
        assertThat(TokenList.presented(Optional.of("only"))).contains("only");
        assertThat(TokenList.presented(Optional.of(" , "))).isEmpty();
        assertThat(TokenList.presented(Optional.empty())).isEmpty();
    }
}
