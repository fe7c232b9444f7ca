package dev.pharos.api;

import dev.pharos.config.ApiTokens;
import dev.pharos.config.PeerInfo;
import dev.pharos.config.TokenList;
import dev.pharos.config.Topology;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Holds the configured tokens as SHA-256 digests only, and compares presented tokens in constant
 * time (hashing first makes the comparison independent of the token's length too). The tokens
 * themselves are never stored here, logged or returned. Each setting may list several tokens
 * separated by commas ({@link TokenList}), all of them accepted, so that a token can be rotated
 * without downtime; a presented token is compared with every one of them.
 *
 * <p>Peer tokens are per peer: each peer's {@code token-sha256} digests ({@link PeerInfo}) name the
 * vantage point that presents them ({@link #peer}). This instance's own peer token ({@code
 * PHAROS_API_PEER_TOKEN}) is what it presents to its peers; it is not accepted here, so no holder
 * of one vantage point's token can speak for another.
 */
@Singleton
public class Tokens {
    private static final HexFormat HEX = HexFormat.of();
    private final Map<TokenKind, List<byte[]>> digests = new EnumMap<>(TokenKind.class);
    private final List<PeerDigest> peers = new ArrayList<>();

    /** One accepted digest of a peer's token, and the peer it names. */
    private record PeerDigest(String peer, byte[] digest) {}

    @Inject
    public Tokens(Topology topology) {
        this(topology.api(), topology.peers());
    }

    public Tokens(ApiTokens api, List<PeerInfo> peerInfos) {
        put(TokenKind.ADMIN, api.admin());
        put(TokenKind.ALERT, api.alert());
        put(TokenKind.READ, api.read());
        for (PeerInfo p : peerInfos) {
            p.tokenSha256().forEach(hex -> peers.add(new PeerDigest(p.name(), HEX.parseHex(hex))));
        }
    }

    private void put(TokenKind kind, TokenList tokens) {
        List<byte[]> accepted = tokens.tokens().stream().map(Tokens::sha256).toList();
        if (!accepted.isEmpty()) {
            digests.put(kind, accepted);
        }
    }

    public boolean configured(TokenKind kind) {
        return kind == TokenKind.PEER ? !peers.isEmpty() : digests.containsKey(kind);
    }

    /**
     * The vantage point a presented peer token names, if it names one. Every digest is compared, so
     * the time taken does not say which peer (or which of its tokens) matched.
     */
    public Optional<String> peer(String presented) {
        if (presented == null || peers.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        String match = null;
        for (PeerDigest p : peers) {
            if (MessageDigest.isEqual(p.digest(), digest)) {
                match = p.peer();
            }
        }
        return Optional.ofNullable(match);
    }

    /** True when {@code presented} equals one of the configured tokens of this kind. */
    public boolean matches(TokenKind kind, String presented) {
        if (kind == TokenKind.PEER) {
            return peer(presented).isPresent();
        }
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

    /** The lower-case hex SHA-256 of a token, as {@code pharos.peers[].token-sha256} holds it. */
    public static String sha256Hex(String token) {
        return HEX.formatHex(sha256(token));
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
