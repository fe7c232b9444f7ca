package dev.pharos.journal;

import java.util.Locale;

/**
 * Every kind of journal event, the {@code type} of a line. The names are stable: operators and
 * alerts filter on them. One type may have several shapes, each its own {@link Event} record.
 */
public enum EventType {
    STARTED,
    STOPPED,
    /**
     * A name only: no version of Pharos journals it; kept so that event filters and receiver
     * settings naming it stay valid.
     */
    VOTE_CHANGED,
    VERDICT_CHANGED,
    REGION_STATE_CHANGED,
    CONTENT_STATE_CHANGED,
    QUORUM_LOST,
    QUORUM_REGAINED,
    WARMUP_DONE,
    CATCHUP,
    DESIRED_CHANGED,
    GUARD_FIRED,
    GUARD_CLEARED,
    ALL_REGIONS_DOWN,
    ALL_REGIONS_DOWN_RESOLVED,
    PLAN,
    APPLY_INTENT,
    APPLY_OK,
    APPLY_FAILED,
    APPLY_INTERRUPTED,
    PROPAGATED,
    ACTUATOR_STOPPED,
    ACTUATOR_RESUMED,
    RELAY_ON,
    RELAY_OFF,
    DRAIN_SET,
    DRAIN_REMOVED,
    DRAIN_EXPIRED,
    CONFIRMED,
    MAINTENANCE_SCHEDULED,
    MAINTENANCE_CANCELLED,
    RESUME_REQUESTED,
    ALERT_RECEIVED,
    REPROBE,
    NOTIFICATION_FAILED,
    PEER_REFUSED,
    ABSTENTION_STARTED,
    ABSTENTION_ENDED,
    WRITERS_WRONG,
    WRITERS_OK;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventType parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
