package dev.pharos.reconcile;

/** What one reconcile run did. */
public enum Outcome {
    /** No desired state yet: nothing to do. */
    NOTHING_DESIRED,
    /** The provider already shows the desired state. */
    NO_CHANGES,
    /** Changes were needed and journaled as a plan, not applied: {@code policy.dry-run}. */
    DRY_RUN,
    /** Changes were needed and journaled as a plan, not applied: another instance actuates. */
    PLAN_ONLY,
    /** Changes were applied. */
    APPLIED,
    /** A retryable error: the loop tries again after a backoff. */
    RETRYABLE_ERROR,
    /** A permanent error: the actuator stopped until an operator resumes it. */
    PERMANENT_ERROR,
    /** The actuator is stopped: nothing was done. */
    STOPPED
}
