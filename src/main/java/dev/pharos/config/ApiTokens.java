package dev.pharos.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * A token listed under two settings would open both kinds of endpoints (a peer or Alertmanager
     * could drain regions): one problem per pair of settings that share a token, naming both keys
     * and never the token.
     */
    List<ConfigProblem> shared() {
        Map<String, TokenList> settings = new LinkedHashMap<>();
        settings.put("pharos.api.admin-token", admin);
        settings.put("pharos.api.peer-token", peer);
        settings.put("pharos.api.alert-token", alert);
        settings.put("pharos.api.read-token", read);
        List<String> keys = List.copyOf(settings.keySet());
        List<ConfigProblem> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                List<String> a = settings.get(keys.get(i)).tokens();
                if (settings.get(keys.get(j)).tokens().stream().anyMatch(a::contains)) {
                    out.add(
                            new ConfigProblem(
                                    keys.get(j),
                                    "holds a token that "
                                            + keys.get(i)
                                            + " holds too; every kind of token must be different"));
                }
            }
        }
        return out;
    }
}
