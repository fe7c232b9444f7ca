package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMetrics;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.DnsPlanner;
import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.decision.DesiredState;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import dev.pharos.journal.ActuatorEvent.ActuatorResumed;
import dev.pharos.journal.ActuatorEvent.ActuatorStopped;
import dev.pharos.journal.DnsEvent.ApplyIntent;
import dev.pharos.journal.DnsEvent.ApplyOk;
import dev.pharos.journal.DnsEvent.ApplyRecovered;
import dev.pharos.journal.DnsEvent.Plan;
import dev.pharos.journal.DnsEvent.Propagated;
import dev.pharos.journal.DnsFailure.ApplyFailed;
import dev.pharos.journal.DnsFailure.ApplyFailed.Phase;
import dev.pharos.journal.DnsFailure.VerifyFailed;
import dev.pharos.journal.Journal;
import dev.pharos.journal.RegionEvidence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Reconciles one DNS provider with the desired records: read what is published, plan, apply,
 * verify, journal intent and outcome (DESIGN 4.6). {@link #runOnce} is one such step; it is
 * idempotent (a second run with nothing new finds no changes and sends nothing). The loop runs on
 * its own thread, so a slow provider never holds the pipeline: when the desired state changes, on a
 * resync timer, and after a retryable error with backoff. A permanent error stops the actuator
 * until an operator resumes it.
 */
public class DnsReconciler {
    private static final Logger LOG = Logger.getLogger(DnsReconciler.class);

    /** What one step did. */
    public enum Outcome {
        NOTHING_DESIRED,
        NO_CHANGES,
        DRY_RUN,
        NOT_ACTUATING,
        APPLIED,
        RETRYABLE_ERROR,
        PERMANENT_ERROR,
        STOPPED
    }

    private final DnsProvider provider;
    private final Set<RecordKey> owned;
    private final ActuatorMode mode;
    private final Duration verifyTimeout;
    private final Duration resync;
    private final Journal journal;
    private final ActuatorMetrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean queued = new AtomicBoolean();

    private volatile DesiredState desired;
    private volatile Map<String, RegionEvidence> evidence = Map.of();
    private volatile boolean stopped;
    private volatile String stoppedBecause;
    private volatile Map<RecordKey, RecordSet> published = Map.of();
    private volatile DnsPlan lastPlan = new DnsPlan(List.of());
    private volatile Instant lastReadAt;
    private volatile Instant lastApplyAt;
    private volatile String lastError;
    private volatile Duration lastPropagation;
    private volatile int failures;
    private String lastJournaledPlan = "";
    private ScheduledFuture<?> retry;

    public DnsReconciler(
            DnsProvider provider,
            Set<RecordKey> owned,
            ActuatorMode mode,
            Duration verifyTimeout,
            Duration resync,
            Journal journal,
            ActuatorMetrics metrics,
            Clock clock,
            ScheduledExecutorService executor) {
        this.provider = provider;
        this.owned = Set.copyOf(owned);
        this.mode = mode;
        this.verifyTimeout = verifyTimeout;
        this.resync = resync;
        this.journal = journal;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = executor;
        metrics.register(provider.name());
    }

    public String name() {
        return provider.name();
    }

    /** Starts the periodic resync (external providers catch drift this way). */
    public void start() {
        long ms = resync.toMillis();
        executor.scheduleWithFixedDelay(this::triggerNow, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * A new desired state: reconcile as soon as possible.
     *
     * @param why the regions behind it, journaled with the apply intent
     */
    public void offer(DesiredState state, Map<String, RegionEvidence> why) {
        desire(state, why);
        triggerNow();
    }

    /** Sets the desired state without triggering a step (tests drive {@link #runOnce}). */
    public void desire(DesiredState state, Map<String, RegionEvidence> why) {
        this.evidence = why;
        this.desired = state;
    }

    private void triggerNow() {
        if (queued.compareAndSet(false, true)) {
            executor.execute(
                    () -> {
                        queued.set(false);
                        safeRun();
                    });
        }
    }

    private void safeRun() {
        try {
            Outcome o = runOnce();
            if (o == Outcome.RETRYABLE_ERROR) {
                scheduleRetry();
            }
        } catch (RuntimeException e) {
            LOG.error("reconcile of " + provider.name() + " failed unexpectedly", e);
        }
    }

    private synchronized void scheduleRetry() {
        if (retry != null && !retry.isDone()) {
            return;
        }
        Duration d = Backoff.delay(failures);
        retry = executor.schedule(this::triggerNow, d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One reconcile step. Runs on the reconciler's thread (or a test's). */
    public synchronized Outcome runOnce() {
        if (stopped) {
            return Outcome.STOPPED;
        }
        DesiredState want = desired;
        if (want == null) {
            return Outcome.NOTHING_DESIRED;
        }
        // A prerequisite that no longer holds means someone changed the RRset since we read it:
        // re-read and re-plan at once, once; after that, back off like any retryable error.
        for (int attempt = 0; ; attempt++) {
            Outcome o = step(want, attempt > 0);
            if (o != Outcome.RETRYABLE_ERROR || attempt >= 1 || !lastErrorWasConflict) {
                return o;
            }
        }
    }

    private boolean lastErrorWasConflict;

    private Outcome step(DesiredState want, boolean afterConflict) {
        lastErrorWasConflict = false;
        DnsPlan plan;
        try {
            published = provider.read(owned);
            lastReadAt = clock.instant();
            plan = DnsPlanner.plan(published, publishable(want.records()));
            lastPlan = plan;
        } catch (ActuatorException e) {
            return failed(e, Phase.READ, Optional.empty());
        }
        metrics.planned(provider.name(), plan.hasChanges());
        if (!plan.hasChanges()) {
            if (failures > 0) {
                // the provider answers again and already serves what we want (an earlier
                // attempt went through): that ends the failures as an apply would
                journal.append(ApplyRecovered.of(provider.name(), failures));
            }
            failures = 0;
            lastError = null;
            return Outcome.NO_CHANGES;
        }
        if (mode != ActuatorMode.APPLY) {
            String key = plan.toString();
            if (!key.equals(lastJournaledPlan)) {
                lastJournaledPlan = key;
                journal.append(Plan.of(provider.name(), mode, plan));
            }
            boolean dryRun = mode == ActuatorMode.DRY_RUN;
            metrics.applied(provider.name(), dryRun ? "dry_run" : "not_actuating", null);
            return dryRun ? Outcome.DRY_RUN : Outcome.NOT_ACTUATING;
        }
        journal.append(ApplyIntent.of(provider.name(), plan, afterConflict, evidence));
        Instant start = clock.instant();
        long t0 = System.nanoTime();
        try {
            provider.apply(plan);
        } catch (ActuatorException e) {
            return failed(e, Phase.APPLY, Optional.of(plan));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        lastApplyAt = start;
        failures = 0;
        lastError = null;
        lastJournaledPlan = "";
        metrics.applied(provider.name(), "ok", took);
        journal.append(ApplyOk.of(provider.name(), plan, took));
        verify(plan);
        return Outcome.APPLIED;
    }

    private void verify(DnsPlan plan) {
        try {
            Duration took = provider.verify(plan, verifyTimeout);
            lastPropagation = took;
            metrics.propagated(provider.name(), took);
            journal.append(Propagated.of(provider.name(), took));
        } catch (ActuatorException e) {
            lastError = "verify: " + e.getMessage();
            journal.append(VerifyFailed.of(provider.name(), verifyTimeout, e.getMessage()));
        }
    }

    private Outcome failed(ActuatorException e, Phase phase, Optional<DnsPlan> plan) {
        lastError = phase.label() + ": " + e.getMessage();
        if (e.retryable()) {
            failures++;
            lastErrorWasConflict = e.conflict();
            metrics.applied(provider.name(), "retryable_error", null);
            journal.append(
                    ApplyFailed.retrying(
                            provider.name(),
                            phase,
                            e.getMessage(),
                            plan,
                            failures,
                            Backoff.delay(failures)));
            LOG.warnf("%s %s failed, retrying: %s", provider.name(), phase.label(), e.getMessage());
            return Outcome.RETRYABLE_ERROR;
        }
        stopped = true;
        stoppedBecause = e.getMessage();
        metrics.applied(provider.name(), "permanent_error", null);
        metrics.up(provider.name(), false);
        journal.append(ApplyFailed.permanently(provider.name(), phase, e.getMessage(), plan));
        journal.append(ActuatorStopped.of(provider.name(), Optional.empty(), e.getMessage()));
        LOG.errorf("%s stopped after a permanent error: %s", provider.name(), e.getMessage());
        return Outcome.PERMANENT_ERROR;
    }

    /** An operator fixed the cause of a permanent error. */
    public void resume() {
        if (!stopped) {
            return;
        }
        stopped = false;
        stoppedBecause = null;
        failures = 0;
        metrics.up(provider.name(), true);
        journal.append(ActuatorResumed.of(provider.name()));
        triggerNow();
    }

    public boolean stopped() {
        return stopped;
    }

    public Map<RecordKey, RecordSet> published() {
        return published;
    }

    /** The desired sets as the provider publishes them (its TTL rules applied). */
    public Map<RecordKey, RecordSet> publishable(Map<RecordKey, RecordSet> desired) {
        Map<RecordKey, RecordSet> out = new java.util.TreeMap<>();
        desired.forEach((k, v) -> out.put(k, provider.publishable(v)));
        return out;
    }

    public ActuatorStatus status() {
        List<String> plan = new ArrayList<>();
        lastPlan.changes().forEach(c -> plan.add(c.toString()));
        return new ActuatorStatus(
                provider.name(),
                mode == ActuatorMode.APPLY,
                mode == ActuatorMode.DRY_RUN,
                stopped,
                stoppedBecause,
                List.copyOf(published.values()),
                plan,
                lastReadAt,
                lastApplyAt,
                lastError,
                lastPropagation == null ? null : lastPropagation.toMillis(),
                failures);
    }

    public Duration lastPropagation() {
        return lastPropagation == null ? Duration.ZERO : lastPropagation;
    }
}
