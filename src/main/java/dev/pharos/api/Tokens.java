package dev.pharos.api;

import dev.pharos.config.ApiTokens;
import dev.pharos.config.TokenList;
import dev.pharos.config.Topology;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Holds the configured tokens as SHA-256 digests only, and compares presented tokens in constant
 * time (hashing first makes the comparison independent of the token's length too). The tokens
 * themselves are never stored here, logged or returned. Each setting may list several tokens
 * separated by commas ({@link TokenList}), all of them accepted, so that a token can be rotated
 * without downtime; a presented token is compared with every one of them.
 */
@Singleton
public class Tokens {
    private final Map<TokenKind, List<byte[]>> digests = new EnumMap<>(TokenKind.class);

    @Inject
    public Tokens(Topology topology) {
        this(topology.api());
    }

    public Tokens(ApiTokens api) {
        put(TokenKind.ADMIN, api.admin());
        put(TokenKind.PEER, api.peer());
        put(TokenKind.ALERT, api.alert());
        put(TokenKind.READ, api.read());
    }

    private void put(TokenKind kind, TokenList tokens) {
        List<byte[]> accepted = tokens.tokens().stream().map(Tokens::sha256).toList();
        if (!accepted.isEmpty()) {
            digests.put(kind, accepted);
        }
    }

    public boolean configured(TokenKind kind) {
        return digests.containsKey(kind);
    }

    /** True when {@code presented} equals one of the configured tokens of this kind. */
    public boolean matches(TokenKind kind, String presented) {
        List<byte[]> accepted = digests.get(kind);
        if (accepted == null || presented == null) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean match = false;
        // every configured token is compared, so the time taken does not say which one matched
        for (byte[] expected : accepted) {
            match |= MessageDigest.isEqual(expected, digest);
        }
        return match;
    }

    /** True when {@code presented} is a configured token of any kind. */
    public boolean matchesAny(String presented) {
        boolean match = false;
        for (TokenKind kind : TokenKind.values()) {
            match |= matches(kind, presented);
        }
        return match;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
