package dev.pharos.api;

/** The bearer tokens Pharos knows; each comes from the environment. */
public enum TokenKind {
    /** Drains, plan confirmations: PHAROS_API_ADMIN_TOKEN. */
    ADMIN,
    /**
     * The observation exchange between vantage points: each peer's own token (its
     * PHAROS_API_PEER_TOKEN), accepted by its {@code pharos.peers[].token-sha256} and naming it.
     */
    PEER,
    /** Inbound Alertmanager webhooks: PHAROS_API_ALERT_TOKEN. */
    ALERT,
    /** Read-only endpoints, only if configured: PHAROS_API_READ_TOKEN. */
    READ
}
