package dev.pharos.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.TokenList;
import dev.pharos.testing.TestTopology;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A token setting may list several tokens, so that one can be rotated without downtime. */
class TokenRotationTest {
    /** A topology with these settings ("pharos.api.peer-token" -> "new, old"). */
    private static Tokens tokens(Map<String, String> settings) {
        TestTopology t = TestTopology.node("vp1").region("europe", "127.0.1.1");
        settings.forEach(t::set);
        return new Tokens(t.topology());
    }

    /** vp1 of three: vp2 presents "vp2-token", vp3 "vp3-new" or (while rotating) "vp3-old". */
    private static Tokens vp1() {
        TestTopology t =
                TestTopology.node("vp1")
                        .peer("vp2", "http://127.0.9.2:8080", "vp2-token")
                        .peer("vp3", "http://127.0.9.3:8080", "vp3-new")
                        .set(
                                "pharos.peers[1].token-sha256",
                                Tokens.sha256Hex("vp3-new") + ", " + Tokens.sha256Hex("vp3-old"))
                        .set("pharos.api.peer-token", "vp1-token")
                        .region("europe", "127.0.1.1");
        return new Tokens(t.topology());
    }

    @Test
    void aPeerTokenNamesItsPeerAndNoOther() {
        Tokens t = vp1();
        assertThat(t.configured(TokenKind.PEER)).isTrue();
        assertThat(t.peer("vp2-token")).contains("vp2");
        assertThat(t.peer("vp3-new")).contains("vp3");
        assertThat(t.matches(TokenKind.PEER, "vp2-token")).isTrue();
        // this instance's own token is what it presents; it speaks for nobody here
        assertThat(t.peer("vp1-token")).isEmpty();
        assertThat(t.matches(TokenKind.PEER, "vp1-token")).isFalse();
        assertThat(t.peer("vp2-token, vp3-new")).isEmpty();
        assertThat(t.peer("other")).isEmpty();
        assertThat(t.peer("")).isEmpty();
        assertThat(t.peer(null)).isEmpty();
    }

    @Test
    void whileAPeersTokenIsRotatedBothNameThatPeer() {
        Tokens t = vp1();
        assertThat(t.peer("vp3-old")).contains("vp3");
        assertThat(t.peer("vp3-new")).contains("vp3");
        assertThat(t.peer("vp2-token")).contains("vp2");
    }

    @Test
    void theDigestIsTheHexSha256OfTheToken() {
        // printf %s abc | sha256sum
        assertThat(Tokens.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
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
