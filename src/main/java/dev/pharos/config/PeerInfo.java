package dev.pharos.config;

import java.net.URI;
import java.util.List;

/**
 * Another vantage point.
 *
 * @param tokenSha256 lower-case hex SHA-256 digests of the tokens that identify this peer when it
 *     calls this instance (several while its token is rotated); empty: no token speaks for it
 */
public record PeerInfo(String name, URI url, List<String> tokenSha256) {
    public PeerInfo {
        tokenSha256 = List.copyOf(tokenSha256);
    }

    public PeerInfo(String name, URI url) {
        this(name, url, List.of());
    }
}
