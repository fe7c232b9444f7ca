package dev.pharos.api;

import dev.pharos.config.PharosConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Holds the configured tokens as SHA-256 digests only, and compares presented tokens in constant
 * time (hashing first makes the comparison independent of the token's length too). The tokens
 * themselves are never stored here, logged or returned.
 */
@Singleton
public class Tokens {
    private final Map<TokenKind, byte[]> digests = new EnumMap<>(TokenKind.class);

    @Inject
    public Tokens(PharosConfig config) {
        PharosConfig.Api api = config.api();
        put(TokenKind.ADMIN, api.adminToken());
        put(TokenKind.PEER, api.peerToken());
        put(TokenKind.ALERT, api.alertToken());
        put(TokenKind.READ, api.readToken());
    }

    private void put(TokenKind kind, Optional<String> token) {
        token.filter(t -> !t.isBlank()).ifPresent(t -> digests.put(kind, sha256(t)));
    }

    public boolean configured(TokenKind kind) {
        return digests.containsKey(kind);
    }

    /** True when {@code presented} equals the configured token of this kind. */
    public boolean matches(TokenKind kind, String presented) {
        byte[] expected = digests.get(kind);
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
