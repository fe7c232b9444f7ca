package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.decision.DesiredState;
import dev.pharos.journal.ActuatorEvent.ActuatorResumed;
import dev.pharos.journal.ActuatorEvent.ActuatorStopped;
import dev.pharos.journal.Journal;
import dev.pharos.journal.RegionEvidence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The loop every actuator runs, on its own thread so that a slow provider never holds the pipeline:
 * one {@link ReconcileStep} per round, when a new desired state arrives, after a retryable error
 * once its backoff has passed, and when nothing was read for {@code resync} (to catch drift).
 *
 * <ul>
 *   <li>Requests coalesce: while a round is queued, more requests add nothing.
 *   <li>Every attempt reads the latest desired state when it starts: a round that waited (for the
 *       thread, for a retry, or to re-plan after a conflict) never applies a decision that has been
 *       replaced meanwhile.
 *   <li>A retryable error is retried after a backoff (250 ms doubling to 30 s), counted from that
 *       failure: a later failure replaces the pending retry, so a retry never starts before the
 *       backoff of the latest failure has passed. A new desired state does not wait for it. An
 *       apply that found the provider changed since the read (a conflict) is re-read and re-planned
 *       at once, once.
 *   <li>A permanent error stops the actuator (journaled, readiness fails) until an operator resumes
 *       it.
 *   <li>An unexpected exception from a step (a bug, or a failure below it) is retried like a
 *       retryable error, with {@code lastError} set: it never ends the loop's retries.
 * </ul>
 *
 * <p>{@link #runOnce} is one round without any scheduling (tests call it directly).
 */
public final class ReconcileLoop<S extends ReconcileStep> {
    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);

    private record Desired(DesiredState state, Map<String, RegionEvidence> evidence) {}

    private final S step;
    private final LoopSettings settings;
    private final Journal journal;
    private final Clock clock;
    private final LoopScheduler scheduler;
    private final AtomicBoolean queued = new AtomicBoolean();

    private volatile Desired desired;
    private volatile boolean stopped;
    private volatile String stoppedBecause;
    private volatile Instant stoppedAt;
    private volatile String lastError;
    private volatile int failures;
    private volatile Duration lastBackoff = Duration.ZERO;
    // the timers are touched only on the loop's thread
    private Instant retryAt;
    private LoopScheduler.Timer retry;
    private LoopScheduler.Timer resync;
    private volatile boolean started;

    public ReconcileLoop(
            S step, LoopSettings settings, Journal journal, Clock clock, LoopScheduler scheduler) {
        this.step = step;
        this.settings = settings;
        this.journal = journal;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    public String name() {
        return step.name();
    }

    public S step() {
        return step;
    }

    /** Whether the loop writes under coordination (APPLY, outside the embedded server). */
    boolean coordinated() {
        return settings.mode() == ActuatorMode.APPLY;
    }

    public ActuatorMode mode() {
        return settings.mode();
    }

    /**
     * Hands the restored desired state to the step and starts the resync timer. The restored state
     * is not a desired state to apply: an external provider keeps what it publishes until the first
     * decision after warm-up.
     */
    public void start(DesiredState restored) throws ActuatorException {
        step.start(restored);
        started = true;
        scheduler.execute(this::armResync);
    }

    /** Stops the step; its timers end with the thread, which the caller shuts down. */
    public void stop() {
        step.stop();
    }

    /**
     * A new desired state: reconcile as soon as possible.
     *
     * @param evidence the regions behind it, journaled with the apply intent
     */
    public void offer(DesiredState state, Map<String, RegionEvidence> evidence) {
        desire(state, evidence);
        trigger();
    }

    /** Sets the desired state without asking for a round (tests drive {@link #runOnce}). */
    public void desire(DesiredState state, Map<String, RegionEvidence> evidence) {
        // in the pipeline's order: the apply intent journals the regions as given
        desired = new Desired(state, Collections.unmodifiableMap(new LinkedHashMap<>(evidence)));
    }

    /** Asks for a round as soon as possible; requests coalesce while one is queued. */
    public void trigger() {
        if (queued.compareAndSet(false, true)) {
            scheduler.execute(this::round);
        }
    }

    private void round() {
        queued.set(false);
        Outcome o;
        try {
            o = runOnce();
        } catch (RuntimeException e) {
            // runOnce turns a step's exception into a retry; this is the loop's own
            LOG.error("reconcile of " + name() + " failed unexpectedly", e);
            armResync();
            return;
        }
        // the provider was just read: the next resync is a whole period from now, not one that
        // comes due at the end of this round and reads it again at once
        armResync();
        cancel(retry);
        retry = null;
        retryAt = null;
        if (o == Outcome.RETRYABLE_ERROR) {
            Duration delay = lastBackoff;
            retryAt = clock.instant().plus(delay);
            retry = scheduler.schedule(this::retryDue, delay);
        }
    }

    /**
     * The retry timer fired. It starts a round only once the backoff has passed by the loop's
     * clock; a timer that fires early waits for the rest.
     */
    private void retryDue() {
        Instant at = retryAt;
        if (at == null) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(at)) {
            retry = scheduler.schedule(this::retryDue, Duration.between(now, at));
            return;
        }
        retry = null;
        trigger();
    }

    /**
     * A resync one period from now, replacing the pending one; none without a resync period, or
     * before {@link #start} (tests that drive rounds alone).
     */
    private void armResync() {
        if (!started) {
            return;
        }
        settings.resync()
                .ifPresent(
                        period -> {
                            cancel(resync);
                            resync = scheduler.schedule(this::resyncDue, period);
                        });
    }

    /**
     * Nothing was read for a whole period. A pending retry reads the provider anyway: the resync
     * does not start a round before it.
     */
    private void resyncDue() {
        resync = null;
        if (retryAt == null) {
            trigger();
        } else {
            armResync();
        }
    }

    private static void cancel(LoopScheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /** One round, without scheduling anything. Runs on the loop's thread (or a test's). */
    public synchronized Outcome runOnce() {
        if (stopped) {
            return Outcome.STOPPED;
        }
        for (boolean afterConflict = false; ; afterConflict = true) {
            Desired want = desired;
            if (want == null) {
                return Outcome.NOTHING_DESIRED;
            }
            try {
                Outcome o =
                        step.run(
                                new ReconcileStep.Run(
                                        want.state(),
                                        want.evidence(),
                                        settings.mode(),
                                        afterConflict,
                                        () -> desired.state(),
                                        settings.mayWrite()));
                if (failures > 0) {
                    step.recovered(failures, o);
                }
                failures = 0;
                lastError = null;
                return o;
            } catch (StepFailure f) {
                lastError = f.getMessage();
                if (!f.error().retryable()) {
                    stop(f);
                    return Outcome.PERMANENT_ERROR;
                }
                failures++;
                lastBackoff = Backoff.delay(failures);
                f.retrying(failures, lastBackoff).forEach(journal::append);
                LOG.warnf("%s: %s failed, retrying: %s", name(), f.where(), f.error().getMessage());
                if (afterConflict || !f.error().conflict()) {
                    return Outcome.RETRYABLE_ERROR;
                }
            } catch (RuntimeException e) {
                // a bug or a failure below the step (the disk): never a reason to stop retrying
                lastError = "unexpected: " + e;
                failures++;
                lastBackoff = Backoff.delay(failures);
                LOG.errorf(e, "%s: the round failed unexpectedly, retrying", name());
                return Outcome.RETRYABLE_ERROR;
            }
        }
    }

    private void stop(StepFailure f) {
        stopped = true;
        stoppedBecause = f.error().getMessage();
        stoppedAt = clock.instant();
        f.stopping().forEach(journal::append);
        journal.append(ActuatorStopped.of(name(), f.region(), f.error().getMessage()));
        LOG.errorf("%s stopped after a permanent error: %s", name(), f.error().getMessage());
    }

    /** An operator fixed the cause of a permanent error; false if the actuator was not stopped. */
    public synchronized boolean resume() {
        if (!stopped) {
            return false;
        }
        stopped = false;
        stoppedBecause = null;
        failures = 0;
        step.resumed();
        journal.append(ActuatorResumed.of(name()));
        trigger();
        return true;
    }

    /**
     * Resumes the loop if it stopped before {@code requested} (a resume asked for at a peer): a
     * stop that came after the request has a cause the operator has not seen.
     */
    public synchronized boolean resumeIfStoppedBefore(Instant requested) {
        Instant at = stoppedAt;
        return stopped && at != null && at.isBefore(requested) && resume();
    }

    public boolean stopped() {
        return stopped;
    }

    public String stoppedBecause() {
        return stoppedBecause;
    }

    /** The actuator as the API shows it. */
    public ActuatorStatus status() {
        StepReport r = step.report();
        String error = lastError;
        return new ActuatorStatus(
                name(),
                settings.mode() == ActuatorMode.APPLY,
                settings.mode() == ActuatorMode.DRY_RUN,
                stopped,
                stoppedBecause,
                r.published(),
                r.plan(),
                r.lastReadAt(),
                r.lastApplyAt(),
                error != null ? error : r.warning(),
                r.lastPropagationMs(),
                failures,
                r.verifying(),
                r.verification());
    }
}
