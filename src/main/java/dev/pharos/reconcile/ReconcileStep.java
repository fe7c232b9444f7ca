package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.decision.DesiredState;
import dev.pharos.journal.RegionEvidence;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One actuator's part of a reconcile round: read what its provider shows, and bring it to the
 * desired state, once. A run is idempotent: a second one with nothing new finds no changes and
 * changes nothing. The {@link ReconcileLoop} decides when a run happens and handles what every
 * actuator's failures have in common (backoff, stopping after a permanent error, resuming); the
 * step journals and counts in its own terms.
 */
public interface ReconcileStep {
    /**
     * The actuator's name, distinct from every other actuator's (the resume endpoint, the journal,
     * the metrics and readiness name it): its provider's configuration name and what it drives,
     * {@code linode-dns}, {@code linode-relay}.
     */
    String name();

    /**
     * At start-up, before the first run: the desired state restored from before a restart (or every
     * configured address on a first start).
     *
     * @throws ActuatorException the actuator cannot start (start-up fails)
     */
    default void start(DesiredState restored) throws ActuatorException {}

    /** At shutdown. */
    default void stop() {}

    /**
     * One run's input.
     *
     * @param desired the desired state when the run started
     * @param evidence the regions behind the desired state, by name (journaled with an apply)
     * @param mode APPLY changes the provider; the other modes journal the plan once and change
     *     nothing
     * @param afterConflict this run repeats, at once, one whose apply found the provider changed
     *     since it was read
     * @param latest the desired state now: a step whose run is slow (a provider that makes it wait)
     *     reads it again before each write, so it never applies a decision replaced meanwhile
     * @param mayWrite asked right before each write in APPLY mode: false (not the writer, or its
     *     lease too close to its end) makes the run journal its plan instead, as PLAN_ONLY
     */
    record Run(
            DesiredState desired,
            Map<String, RegionEvidence> evidence,
            ActuatorMode mode,
            boolean afterConflict,
            Supplier<DesiredState> latest,
            BooleanSupplier mayWrite) {

        /** A run whose desired state does not change while it runs, writes decided by its mode. */
        public Run(
                DesiredState desired,
                Map<String, RegionEvidence> evidence,
                ActuatorMode mode,
                boolean afterConflict) {
            this(desired, evidence, mode, afterConflict, () -> desired, () -> true);
        }

        /** The mode to write with now: APPLY only while this instance may write. */
        public ActuatorMode modeNow() {
            return mode == ActuatorMode.APPLY && !mayWrite.getAsBoolean()
                    ? ActuatorMode.PLAN_ONLY
                    : mode;
        }
    }

    /**
     * Brings the provider to {@code run.desired()} (or, not applying, journals how).
     *
     * @throws StepFailure the provider failed; the loop retries or stops
     */
    Outcome run(Run run) throws StepFailure;

    /**
     * A run succeeded after {@code failures} failed ones, with this outcome: journal the end of the
     * failures if the step's events do not already say so.
     */
    void recovered(int failures, Outcome outcome);

    /** An operator resumed the actuator after a permanent error. */
    default void resumed() {}

    /** What the step last saw and did, for the status API. */
    StepReport report();
}
