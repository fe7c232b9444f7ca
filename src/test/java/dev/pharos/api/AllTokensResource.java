package dev.pharos.api;

import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** One region of a real loopback server, and every kind of API token set, each different. */
public class AllTokensResource implements QuarkusTestResourceLifecycleManager {
    public static final Map<TokenKind, String> TOKENS =
            Map.of(
                    TokenKind.ADMIN, "admin-token-for-kinds-7d1e",
                    TokenKind.PEER, "peer-token-for-kinds-21a9",
                    TokenKind.ALERT, "alert-token-for-kinds-c04b",
                    TokenKind.READ, "read-token-for-kinds-93f6");
    private LoopbackHttpServer lb;

    @Override
    public Map<String, String> start() {
        lb = new LoopbackHttpServer("127.0.62.1", "europe-lb").start();
        TestTopology t =
                TestTopology.fast("vp-tokens")
                        .probe("path", "/health")
                        .region("europe", r -> r.lb(lb))
                        .dns("none")
                        .zone("example.test")
                        .roundRobin("cdn.example.test", 30);
        TOKENS.forEach(
                (kind, token) -> {
                    if (kind != TokenKind.PEER) {
                        t.set("pharos.api." + kind.name().toLowerCase() + "-token", token);
                    }
                });
        // a peer token is accepted as the token of a configured peer (its digest), never as this
        // instance's own: the own one is another value, and the peer is never reached (nothing
        // listens on its port)
        t.set("pharos.api.peer-token", "own-peer-token-for-kinds-5e2f")
                .peer("vp-peer", "http://127.0.62.9:9", TOKENS.get(TokenKind.PEER));
        return t.properties();
    }

    @Override
    public void stop() {
        lb.stop();
    }
}
