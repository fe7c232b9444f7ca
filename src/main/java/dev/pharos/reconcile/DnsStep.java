package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMetrics;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.DnsChange;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.DnsPlanner;
import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.actuator.dns.VerifyReport;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reconciles one DNS provider with the desired records: read what is published for the names Pharos
 * owns, plan the difference ({@link DnsPlanner}), journal the intent, apply, journal the outcome,
 * verify propagation. Both are journaled and fsynced, so an intent without an outcome after a crash
 * is found at the next start. Not applying, it journals each new plan once instead.
 *
 * <p>Verification (every authoritative server serving the change) runs on a thread of its own,
 * beside the loop: a newer desired state is applied at once, and its verification replaces the
 * older one's. The status shows each server's result.
 */
public final class DnsStep implements ReconcileStep {
    private final DnsProvider provider;
    private final Set<RecordKey> owned;
    private final Duration verifyTimeout;
    private final Journal journal;
    private final ActuatorMetrics metrics;
    private final Clock clock;

    private volatile Map<RecordKey, RecordSet> published = Map.of();
    private volatile boolean silentAtStart;
    private volatile DnsPlan lastPlan = new DnsPlan(List.of());
    private volatile Instant lastReadAt;
    private volatile Instant lastApplyAt;
    private volatile Duration lastPropagation;
    private volatile String verifyError;
    private volatile VerifyReport lastVerify;
    private volatile DnsPlan verifying;
    // verification runs beside the loop, the latest change's only
    private final Executor verifyOn;
    private final ExecutorService ownVerifier;
    private final Object verifyLock = new Object();
    private long verification;
    private Thread verifier;
    private CompletableFuture<Void> running;
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
        this(provider, owned, verifyTimeout, journal, metrics, clock, null);
    }

    /**
     * @param verifyOn where verification runs; null: a thread of the step's own ({@code
     *     Runnable::run} verifies inside the round, for tests that read the journal in order)
     */
    public DnsStep(
            DnsProvider provider,
            Set<RecordKey> owned,
            Duration verifyTimeout,
            Journal journal,
            ActuatorMetrics metrics,
            Clock clock,
            Executor verifyOn) {
        this.provider = provider;
        this.owned = Set.copyOf(owned);
        this.verifyTimeout = verifyTimeout;
        this.journal = journal;
        this.metrics = metrics;
        this.clock = clock;
        metrics.register(name());
        this.ownVerifier =
                verifyOn != null
                        ? null
                        : Executors.newSingleThreadExecutor(
                                r -> {
                                    Thread t = new Thread(r, "pharos-verify-" + provider.name());
                                    t.setDaemon(true);
                                    return t;
                                });
        this.verifyOn = verifyOn != null ? verifyOn : ownVerifier;
    }

    /**
     * The provider's configuration name with {@code -dns}: {@code linode-dns}, {@code
     * embedded-dns}.
     */
    @Override
    public String name() {
        return provider.name() + "-dns";
    }

    /**
     * The provider starts with the restored records (the embedded server serves them, or holds them
     * silently until the first run: {@link #silentAtStart}).
     */
    @Override
    public void start(DesiredState restored) throws ActuatorException {
        if (silentAtStart) {
            provider.startSilent(restored.records());
        } else {
            provider.start(restored.records());
        }
    }

    /**
     * Restart catch-up: the provider (the embedded server) answers nothing until the first run that
     * leaves it at an offered desired state; call before {@link #start}.
     */
    DnsStep silentAtStart() {
        silentAtStart = true;
        return this;
    }

    @Override
    public void stop() {
        if (ownVerifier != null) {
            ownVerifier.shutdownNow();
        }
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
            leaveGeo(run);
            // a run happens only once a desired state was offered: it may be answered now
            provider.speak();
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
            // not applying, the restored records are what it serves (as without catch-up)
            provider.speak();
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
        // the provider accepted every change: what it publishes now is the plan's outcome, and
        // nothing is pending (status and plan must not show the state before this apply)
        published = afterApplying(published, plan);
        lastPlan = new DnsPlan(List.of());
        lastApplyAt = start;
        journaledPlan = "";
        metrics.applied(name(), "ok", took);
        journal.append(ApplyOk.of(name(), plan, took));
        provider.speak();
        startVerifying(plan);
        leaveGeo(run);
        return Outcome.APPLIED;
    }

    /**
     * Hands the regions left out of geo answers to a provider that answers geo records itself, when
     * they changed and this instance actuates.
     */
    private void leaveGeo(Run run) throws StepFailure {
        Set<String> wanted = run.desired().leftOutOfGeo();
        Optional<Set<String>> now = provider.leftOutOfGeo();
        if (now.isEmpty() || now.get().equals(wanted) || run.modeNow() != ActuatorMode.APPLY) {
            return;
        }
        try {
            provider.leaveGeo(wanted);
        } catch (ActuatorException e) {
            throw failure(e, Phase.APPLY, Optional.empty());
        }
    }

    /**
     * Verifies beside the loop: the next change never waits for it. A newer change supersedes a
     * verification still running (its thread is interrupted and it reports nothing; the newer one
     * asks every server again).
     */
    private void startVerifying(DnsPlan plan) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long id;
        synchronized (verifyLock) {
            id = ++verification;
            if (verifier != null) {
                verifier.interrupt();
            }
            verifying = plan;
            running = done;
        }
        try {
            verifyOn.execute(
                    () -> {
                        try {
                            verify(id, plan);
                        } finally {
                            done.complete(null);
                        }
                    });
        } catch (RejectedExecutionException e) {
            done.complete(null); // stopping
        }
    }

    private void verify(long id, DnsPlan plan) {
        synchronized (verifyLock) {
            if (id != verification) {
                return; // superseded before it started
            }
            verifier = Thread.currentThread();
        }
        try {
            VerifyReport r;
            try {
                r = provider.verify(plan, verifyTimeout);
            } catch (ActuatorException e) {
                synchronized (verifyLock) {
                    if (id != verification) {
                        return;
                    }
                    verifying = null;
                    verifyError = "verify: " + e.getMessage();
                }
                journal.append(VerifyFailed.of(name(), verifyTimeout, e.getMessage()));
                return;
            }
            synchronized (verifyLock) {
                if (id != verification) {
                    return; // superseded
                }
                verifying = null;
                lastVerify = r;
                verifyError = r.complete() ? null : "verify: " + r.pending();
            }
            if (r.complete()) {
                lastPropagation = r.took();
                metrics.propagated(name(), r.took());
                journal.append(Propagated.of(name(), r.took(), provider.verified()));
            } else {
                journal.append(VerifyFailed.of(name(), verifyTimeout, r.pending()));
            }
        } finally {
            synchronized (verifyLock) {
                if (verifier == Thread.currentThread()) {
                    verifier = null;
                }
            }
            // an interrupt meant for this verification must not reach the executor's next task
            Thread.interrupted();
        }
    }

    /** Waits for the verification of the last change, and returns its report (tests). */
    public VerifyReport awaitVerification() throws Exception {
        CompletableFuture<Void> f;
        synchronized (verifyLock) {
            f = running;
        }
        if (f != null) {
            f.get();
        }
        return lastVerify;
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

    /** {@code published} with every change of {@code plan} made. */
    static Map<RecordKey, RecordSet> afterApplying(
            Map<RecordKey, RecordSet> published, DnsPlan plan) {
        Map<RecordKey, RecordSet> out = new TreeMap<>(published);
        for (DnsChange c : plan.changes()) {
            c.after().ifPresentOrElse(a -> out.put(c.key(), a), () -> out.remove(c.key()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** What the provider publishes, as of the last read or the last apply since. */
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
                propagation == null ? null : propagation.toMillis(),
                verifying != null,
                lastVerify == null ? null : lastVerify.servers());
    }
}
