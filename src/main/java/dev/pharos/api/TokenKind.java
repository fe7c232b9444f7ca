package dev.pharos.api;

/** The bearer tokens Pharos knows; each comes from the environment. */
public enum TokenKind {
    /** Drains, plan confirmations: PHAROS_API_ADMIN_TOKEN. */
    ADMIN,
    /** The observation exchange between vantage points: PHAROS_API_PEER_TOKEN. */
    PEER,
    /** Inbound Alertmanager webhooks: PHAROS_API_ALERT_TOKEN. */
    ALERT,
    /** Read-only endpoints, only if configured: PHAROS_API_READ_TOKEN. */
    READ
}
