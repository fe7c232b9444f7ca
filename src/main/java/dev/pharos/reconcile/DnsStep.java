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
import dev.pharos.journal.DnsEvent.ApplyIntent;
import dev.pharos.journal.DnsEvent.ApplyOk;
import dev.pharos.journal.DnsEvent.ApplyRecovered;
import dev.pharos.journal.DnsEvent.Plan;
import dev.pharos.journal.DnsEvent.Propagated;
import dev.pharos.journal.DnsFailure.ApplyFailed;
import dev.pharos.journal.DnsFailure.ApplyFailed.Phase;
import dev.pharos.journal.DnsFailure.VerifyFailed;
import dev.pharos.journal.Journal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reconciles one DNS provider with the desired records: read what is published for the names Pharos
 * owns, plan the difference ({@link DnsPlanner}), journal the intent, apply, journal the outcome,
 * verify propagation. Both are journaled and fsynced, so an intent without an outcome after a crash
 * is found at the next start. Not applying, it journals each new plan once instead.
 */
public final class DnsStep implements ReconcileStep {
    private final DnsProvider provider;
    private final Set<RecordKey> owned;
    private final Duration verifyTimeout;
    private final Journal journal;
    private final ActuatorMetrics metrics;
    private final Clock clock;

    private volatile Map<RecordKey, RecordSet> published = Map.of();
    private volatile DnsPlan lastPlan = new DnsPlan(List.of());
    private volatile Instant lastReadAt;
    private volatile Instant lastApplyAt;
    private volatile Duration lastPropagation;
    private volatile String verifyError;
    // the plan last journaled without applying it: each plan is journaled once
    private String journaledPlan = "";

    /**
     * @param owned the managed keys: the only ones read, planned and changed
     * @param verifyTimeout how long verification waits for every authoritative server
     */
    public DnsStep(
            DnsProvider provider,
            Set<RecordKey> owned,
            Duration verifyTimeout,
            Journal journal,
            ActuatorMetrics metrics,
            Clock clock) {
        this.provider = provider;
        this.owned = Set.copyOf(owned);
        this.verifyTimeout = verifyTimeout;
        this.journal = journal;
        this.metrics = metrics;
        this.clock = clock;
        metrics.register(provider.name());
    }

    @Override
    public String name() {
        return provider.name();
    }

    /** The provider starts with the restored records (the embedded server serves them). */
    @Override
    public void start(DesiredState restored) throws ActuatorException {
        provider.start(restored.records());
    }

    @Override
    public void stop() {
        provider.stop();
    }

    @Override
    public Outcome run(Run run) throws StepFailure {
        DnsPlan plan;
        try {
            published = provider.read(owned);
            lastReadAt = clock.instant();
            plan = DnsPlanner.plan(published, publishable(run.desired().records()));
            lastPlan = plan;
        } catch (ActuatorException e) {
            throw failure(e, Phase.READ, Optional.empty());
        }
        metrics.planned(name(), plan.hasChanges());
        if (!plan.hasChanges()) {
            journaledPlan = "";
            verifyError = null;
            return Outcome.NO_CHANGES;
        }
        // asked after the read, right before the write: a writer whose lease ran short meanwhile
        // does not start it
        ActuatorMode mode = run.modeNow();
        if (mode != ActuatorMode.APPLY) {
            String key = plan.toString();
            if (!key.equals(journaledPlan)) {
                journaledPlan = key;
                journal.append(Plan.of(name(), mode, plan));
            }
            boolean dryRun = mode == ActuatorMode.DRY_RUN;
            metrics.applied(name(), dryRun ? "dry_run" : "not_actuating", null);
            return dryRun ? Outcome.DRY_RUN : Outcome.PLAN_ONLY;
        }
        journal.append(ApplyIntent.of(name(), plan, run.afterConflict(), run.evidence()));
        Instant start = clock.instant();
        long t0 = System.nanoTime();
        try {
            provider.apply(plan);
        } catch (ActuatorException e) {
            throw failure(e, Phase.APPLY, Optional.of(plan));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        lastApplyAt = start;
        journaledPlan = "";
        metrics.applied(name(), "ok", took);
        journal.append(ApplyOk.of(name(), plan, took));
        verify(plan);
        return Outcome.APPLIED;
    }

    private void verify(DnsPlan plan) {
        try {
            Duration took = provider.verify(plan, verifyTimeout);
            lastPropagation = took;
            verifyError = null;
            metrics.propagated(name(), took);
            journal.append(Propagated.of(name(), took));
        } catch (ActuatorException e) {
            verifyError = "verify: " + e.getMessage();
            journal.append(VerifyFailed.of(name(), verifyTimeout, e.getMessage()));
        }
    }

    private StepFailure failure(ActuatorException e, Phase phase, Optional<DnsPlan> plan) {
        if (e.retryable()) {
            metrics.applied(name(), "retryable_error", null);
        } else {
            metrics.applied(name(), "permanent_error", null);
            metrics.up(name(), false);
        }
        return new StepFailure(
                e,
                phase.label(),
                Optional.empty(),
                (attempt, retryIn) ->
                        List.of(
                                ApplyFailed.retrying(
                                        name(), phase, e.getMessage(), plan, attempt, retryIn)),
                List.of(ApplyFailed.permanently(name(), phase, e.getMessage(), plan)));
    }

    /**
     * The provider answers again and already serves what is wanted (an earlier attempt went
     * through): that ends the failures as an apply would. An apply says so itself.
     */
    @Override
    public void recovered(int failures, Outcome outcome) {
        if (outcome == Outcome.NO_CHANGES) {
            journal.append(ApplyRecovered.of(name(), failures));
        }
    }

    @Override
    public void resumed() {
        metrics.up(name(), true);
    }

    /** What the provider published at the last read. */
    public Map<RecordKey, RecordSet> published() {
        return published;
    }

    /** The desired sets as the provider publishes them (its TTL rules applied). */
    public Map<RecordKey, RecordSet> publishable(Map<RecordKey, RecordSet> desired) {
        Map<RecordKey, RecordSet> out = new TreeMap<>();
        desired.forEach((k, v) -> out.put(k, provider.publishable(v)));
        return out;
    }

    public Duration lastPropagation() {
        return lastPropagation == null ? Duration.ZERO : lastPropagation;
    }

    @Override
    public StepReport report() {
        Duration propagation = lastPropagation;
        return new StepReport(
                List.copyOf(published.values()),
                lastPlan.changes().stream().map(Object::toString).toList(),
                lastReadAt,
                lastApplyAt,
                verifyError,
                propagation == null ? null : propagation.toMillis());
    }
}
