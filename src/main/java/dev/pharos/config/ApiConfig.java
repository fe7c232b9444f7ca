package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** {@code pharos.api}: the REST API's tokens, read into {@link ApiTokens}. */
@ConfigMapping(prefix = "pharos.api")
public interface ApiConfig {
    /** Admin token for drains and confirmations (env PHAROS_API_ADMIN_TOKEN). */
    Optional<String> adminToken();

    /**
     * Token peers use for the observation exchange (env PHAROS_API_PEER_TOKEN). Like every token
     * here it may list several, comma-separated: all are accepted, the first is sent to peers (for
     * rotation, see docs/OPERATIONS.md).
     */
    Optional<String> peerToken();

    /** Token Alertmanager uses for inbound alerts (env PHAROS_API_ALERT_TOKEN). */
    Optional<String> alertToken();

    /** If set, read-only endpoints need this token too (env PHAROS_API_READ_TOKEN). */
    Optional<String> readToken();
}
