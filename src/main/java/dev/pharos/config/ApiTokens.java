package dev.pharos.config;

/**
 * The API's tokens ({@code pharos.api}), each setting a {@link TokenList}; empty lists configure
 * nothing.
 */
public record ApiTokens(TokenList admin, TokenList peer, TokenList alert, TokenList read) {

    static ApiTokens of(ApiConfig api) {
        return new ApiTokens(
                TokenList.parse(api.adminToken()),
                TokenList.parse(api.peerToken()),
                TokenList.parse(api.alertToken()),
                TokenList.parse(api.readToken()));
    }
}
