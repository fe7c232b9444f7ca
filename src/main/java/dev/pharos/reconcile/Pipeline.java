package dev.pharos.reconcile;

import dev.pharos.config.ContentSettings;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import dev.pharos.coordination.Writers;
import dev.pharos.decision.DecisionMetrics;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.decision.RegionStates;
import dev.pharos.decision.RegionStatus;
import dev.pharos.domain.RecordSet;
import dev.pharos.journal.Journal;
import dev.pharos.journal.PersistedState;
import dev.pharos.journal.PipelineEvent.CatchUp;
import dev.pharos.journal.PipelineEvent.ContentStateChanged;
import dev.pharos.journal.PipelineEvent.Started;
import dev.pharos.journal.PipelineEvent.Stopped;
import dev.pharos.journal.RegionEvidence;
import dev.pharos.journal.StateStore;
import dev.pharos.observation.EvaluationTrigger;
import dev.pharos.observation.OperatorAction;
import dev.pharos.observation.OwnDecision;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.VantageView;
import dev.pharos.quorum.ContentMetrics;
import dev.pharos.quorum.ContentQuorum;
import dev.pharos.quorum.ContentVerdict;
import dev.pharos.quorum.QuorumMetrics;
import dev.pharos.quorum.Verdict;
import dev.pharos.quorum.VerdictBoard;
import dev.pharos.quorum.VerdictChange;
import dev.pharos.reconcile.VoteSources.Votes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The orchestrator. Everything after the votes runs here, on one thread, {@code pharos-pipeline},
 * in one direction: observe (every vantage point's votes), evaluate (verdicts, quorum, region
 * states), decide (the desired state through the guards), emit (metrics, the {@link PipelineState}
 * snapshot, the desired state to the actuators). Every change is journaled with its evidence on the
 * way. It runs once per round (the exchange interval) and at once whenever a vote changes or a
 * peer's data arrives, so a verdict never waits for the next round.
 *
 * <p>Nothing is decided while warming up after start or without quorum: the desired state stays
 * what it was (restored from disk after a restart), so a restart never flaps DNS.
 */
@Singleton
public class Pipeline implements EvaluationTrigger {
    private static final Logger LOG = Logger.getLogger(Pipeline.class);

    private final Topology topology;
    private final Clock clock;
    private final VoteSources votes;
    private final Overrides overrides;
    private final StateStore store;
    private final Journal journal;
    private final Actuators actuators;
    private final QuorumMetrics quorumMetrics;
    private final DecisionMetrics decisionMetrics;
    private final ContentMetrics contentMetrics;
    private final EventRecorder events;
    private final VerdictBoard board;
    private final DecisionStep decisions;
    private final Writers writers;
    private final PeerObservations peers;
    private final OwnDecision ownDecision;
    private final RestartCatchUp catchUp;
    // when the desired state took its current effect (what peers are told, for catch-up's tie)
    private Instant desiredSince;
    private final AtomicBoolean triggered = new AtomicBoolean();
    private ScheduledExecutorService executor;
    private volatile PipelineState state;
    private long round;

    /** Verdicts changed in this step, kept in the store's memory until the step's end. */
    private boolean verdictsStaged;

    /** When the evaluation asked for at the next drain or maintenance boundary runs. */
    private Instant boundary;

    /**
     * Vantage points known to abstain: a reachable one as its latest snapshot says, an unreachable
     * one as it was last known (that it went silent says nothing about its canaries). Only the
     * pipeline thread touches it.
     */
    private List<String> abstaining = List.of();

    /** The verdicts and region states of one evaluation, with the evidence behind them. */
    private record Evaluated(
            VerdictBoard.Evaluation board,
            Map<String, RegionStatus> regions,
            Evidence evidence,
            Map<String, ContentVerdict> content) {}

    @Inject
    public Pipeline(
            Topology topology,
            Clock clock,
            VoteSources votes,
            Overrides overrides,
            StateStore store,
            Journal journal,
            Actuators actuators,
            QuorumMetrics quorumMetrics,
            DecisionMetrics decisionMetrics,
            RestoredState restored,
            Writers writers,
            ContentMetrics contentMetrics,
            PeerObservations peers,
            OwnDecision ownDecision) {
        this.writers = writers;
        this.peers = peers;
        this.ownDecision = ownDecision;
        this.contentMetrics = contentMetrics;
        this.topology = topology;
        this.clock = clock;
        this.votes = votes;
        this.overrides = overrides;
        this.store = store;
        this.journal = journal;
        this.actuators = actuators;
        this.quorumMetrics = quorumMetrics;
        this.decisionMetrics = decisionMetrics;
        this.events = new EventRecorder(topology, journal);
        Instant now = clock.instant();
        PersistedState saved = restored.saved();
        this.decisions = new DecisionStep(topology, store, journal, events, restored.memory());
        this.board = new VerdictBoard(topology.quorum(), topology.targets(), saved.verdicts(), now);
        VerdictBoard.Evaluation first = board.evaluate(List.of(), false, now);
        this.desiredSince = now;
        this.catchUp =
                new RestartCatchUp(
                        RestartCatchUp.applies(topology),
                        now,
                        topology.quorum().catchUp().timeout());
        quorumMetrics.catchUp(catchUp.status().state().label());
        this.state =
                new PipelineState(
                        0,
                        now,
                        first.verdicts(),
                        regionStates(first.verdicts(), Map.of(), Map.of(), now),
                        first.quorum(),
                        first.warm(),
                        0,
                        restored.desired(),
                        restored.memory(),
                        Optional.of(Freeze.atStart()),
                        ContentQuorum.evaluate(
                                Map.of(),
                                List.copyOf(topology.content().regions().keySet()),
                                topology.quorum().size(),
                                Map.of(),
                                now),
                        catchUp.status());
    }

    void start(@Observes StartupEvent event) {
        journal.append(
                Started.of(
                        topology.nodeName(),
                        topology.targets().size(),
                        topology.regions().size(),
                        topology.quorum().vantagePoints()));
        executor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "pharos-pipeline");
                            t.setDaemon(true);
                            return t;
                        });
        long period = topology.quorum().exchangeInterval().toMillis();
        // the first round at once: a single vantage point has quorum from the start, and peers
        // join as their data arrives; readiness also waits for the first probe round
        executor.scheduleAtFixedRate(() -> safely(true), 0, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        journal.append(Stopped.of());
    }

    /** Asks for an evaluation as soon as possible; several requests coalesce into one. */
    @Override
    public void trigger() {
        if (executor != null && !executor.isShutdown() && triggered.compareAndSet(false, true)) {
            try {
                executor.execute(() -> safely(false));
            } catch (RejectedExecutionException e) {
                // shutting down: nothing more to evaluate
            }
        }
    }

    public PipelineState state() {
        return state;
    }

    /**
     * Records an operator's confirmation of held-back removals on the pipeline thread (the decision
     * memory lives there), then evaluates at once.
     */
    void confirmed(List<String> regions, String by, Instant at) {
        Runnable task =
                () -> {
                    decisions.confirm(regions, by, topology.nodeName(), at);
                    step(false);
                };
        if (executor == null) {
            task.run();
            return;
        }
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // shutting down: the confirmation is lost with the process, as an unanswered request
        }
    }

    private void safely(boolean tick) {
        try {
            step(tick);
        } catch (RuntimeException e) {
            LOG.error("pipeline step failed", e);
        }
    }

    /** One evaluation: observe, evaluate, decide, emit. Runs only on the pipeline thread. */
    void step(boolean tick) {
        if (!tick) {
            triggered.set(false);
        }
        Instant now = clock.instant();
        for (OperatorAction c : overrides.settle()) {
            decisions.confirm(List.of(c.region()), c.by(), c.origin(), c.start());
        }
        if (tick) {
            round++;
            overrides.expire();
        }
        PipelineState before = state;
        Votes seen = votes.collect(now);
        Evaluated ev = evaluate(seen, before, tick, now);
        if (ev.board().warm()) {
            // before warm-up, peers are still arriving: a count then would raise false alarms
            writers.judge(now).ifPresent(journal::append);
        }
        DesiredState desired = before.desired();
        Optional<Freeze> frozen = frozen(ev.board());
        Optional<Map<String, RegionEvidence>> offer = Optional.empty();
        RestartCatchUp.Status was = catchUp.status();
        RestartCatchUp.Status is = catchUp.next(ev.board().warm(), peers.deciding(now), now);
        boolean offerDns = false;
        if (is.state() == RestartCatchUp.State.ADOPTED) {
            List<RecordSet> taken = catchUp.adopted().orElseThrow().records();
            DesiredState adopted =
                    new DesiredState(
                            ManagedRecords.restore(topology, taken), Map.of(), List.of(), false);
            boolean entered = was.state() != RestartCatchUp.State.ADOPTED;
            if (entered || !adopted.sameEffect(desired)) {
                desired = adopted;
                offerDns = true;
                List<RecordSet> records = List.copyOf(adopted.records().values());
                store.update(s -> s.withDesiredRecords(records));
                LOG.infof("restart catch-up: serving the desired state of %s", is.from());
                journal.append(CatchUp.adopted(is.from(), records.size()));
            }
        } else if (is.state() == RestartCatchUp.State.TIMED_OUT
                && was.state() != RestartCatchUp.State.TIMED_OUT) {
            offerDns = true;
            LOG.warnf("restart catch-up: no peer decided in time; serving the restored state");
            journal.append(CatchUp.timedOut(Duration.between(was.since(), now).toMillis()));
        } else if (is.state() == RestartCatchUp.State.OWN
                && was.state() == RestartCatchUp.State.SILENT
                && frozen.isPresent()) {
            // warm, but quorum lost at once: no decision offers anything, and the silence must
            // end; the state kept is what a frozen instance serves
            offerDns = true;
        }
        quorumMetrics.catchUp(is.state().label());
        if (frozen.isEmpty()) {
            DecisionStep.Decision d =
                    decisions.decide(
                            before,
                            ev.regions(),
                            stale(ev.content(), ContentSettings.OnStale.LEAVE_DNS),
                            stale(ev.content(), ContentSettings.OnStale.LEAVE_GEO),
                            ev.evidence(),
                            now);
            desired = d.desired();
            offer = d.offer();
        }
        if (!desired.sameEffect(before.desired())) {
            desiredSince = now;
        }
        emit(ev, desired, frozen, offer, now);
        if (frozen.isEmpty()) {
            ownDecision.deciding(List.copyOf(desired.records().values()), desiredSince);
        } else {
            ownDecision.notDeciding();
        }
        if (offerDns) {
            actuators.offerDns(desired, Map.of());
        }
        if (verdictsStaged) {
            verdictsStaged = false;
            store.flush();
        }
        atNextBoundary(now);
    }

    /**
     * Asks for an evaluation at the moment the next drain or maintenance window starts or ends, so
     * it takes effect then rather than up to a round later.
     */
    private void atNextBoundary(Instant now) {
        Optional<Instant> next = overrides.actions().nextBoundary(now);
        if (executor == null || next.isEmpty() || next.get().equals(boundary)) {
            return;
        }
        boundary = next.get();
        long delay = Math.max(0, Duration.between(now, boundary).toMillis()) + 1;
        try {
            executor.schedule(() -> safely(false), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private Evaluated evaluate(Votes seen, PipelineState before, boolean tick, Instant now) {
        VerdictBoard.Evaluation ev = board.evaluate(seen.views(), seen.alertDown(), tick, now);
        Evidence evidence = new Evidence(ev.verdicts(), seen::ballots);
        for (VerdictChange c : ev.changes()) {
            LOG.infof(
                    "verdict %s %s -> %s: %s",
                    c.to().targetId(), c.from().health(), c.to().health(), c.to().reason());
            events.verdictChanged(c, evidence.ballotsOf(c.to().targetId()));
        }
        if (!ev.changes().isEmpty()) {
            // written with the desired state, if it changes, or at the end of the step: the
            // actuators are offered the new state without waiting for one more fsynced write
            store.stage(s -> s.withVerdicts(ev.verdicts()));
            verdictsStaged = true;
        }
        List<String> known = new ArrayList<>();
        for (VantageView v : seen.views()) {
            if (v.reachable() ? v.abstaining() : abstaining.contains(v.vantage())) {
                known.add(v.vantage());
            }
        }
        if (!known.equals(abstaining)) {
            for (String v : known) {
                if (!abstaining.contains(v)) {
                    LOG.warnf("vantage point %s abstains: all its canaries are down", v);
                }
            }
            events.abstentionChanged(abstaining, known, ev.quorum().vantagePoints());
            abstaining = List.copyOf(known);
        }
        quorumMetrics.abstaining(abstaining);
        if (ev.quorumChanged() && (before.round() > 0 || !ev.quorum().held())) {
            events.quorumChanged(ev.quorum());
        }
        if (ev.warm() && !before.warm()) {
            events.warmupDone(round);
        }
        Map<String, ContentVerdict> content =
                ContentQuorum.evaluate(
                        votes.content(now),
                        List.copyOf(topology.content().regions().keySet()),
                        topology.quorum().size(),
                        before.content(),
                        now);
        for (ContentVerdict c : content.values()) {
            ContentVerdict old = before.content().get(c.region());
            if (old != null && old.state() != c.state()) {
                LOG.infof(
                        "region %s content %s -> %s: %s",
                        c.region(), old.state(), c.state(), c.reason());
                journal.append(ContentStateChanged.of(old, c));
            }
        }
        Map<String, RegionStatus> regions =
                regionStates(ev.verdicts(), before.regions(), content, now);
        for (RegionStatus r : regions.values()) {
            RegionStatus old = before.regions().get(r.region());
            if (old != null && old.state() != r.state()) {
                LOG.infof("region %s %s -> %s: %s", r.region(), old.state(), r.state(), r.reason());
                events.regionChanged(old, r, evidence);
            }
        }
        return new Evaluated(ev, regions, evidence, content);
    }

    /** Why nothing is decided now, if it is not: warming up, or quorum lost. */
    private Optional<Freeze> frozen(VerdictBoard.Evaluation ev) {
        if (!ev.warm()) {
            return Optional.of(
                    Freeze.warmingUp(ev.roundsWithQuorum(), topology.quorum().warmupRounds()));
        }
        return ev.quorum().held() ? Optional.empty() : Optional.of(Freeze.quorumLost());
    }

    private void emit(
            Evaluated ev,
            DesiredState desired,
            Optional<Freeze> frozen,
            Optional<Map<String, RegionEvidence>> offer,
            Instant now) {
        quorumMetrics.update(ev.board());
        decisionMetrics.update(ev.regions().values());
        contentMetrics.update(ev.content().values(), now);
        decisionMetrics.allRegionsDown(desired.allRegionsDown());
        // metrics first: whoever sees the new state also sees the metrics that go with it
        state =
                new PipelineState(
                        round,
                        now,
                        ev.board().verdicts(),
                        ev.regions(),
                        ev.board().quorum(),
                        ev.board().warm(),
                        ev.board().roundsWithQuorum(),
                        desired,
                        decisions.memory(),
                        frozen,
                        ev.content(),
                        catchUp.status());
        offer.ifPresent(evidence -> actuators.offer(desired, evidence));
    }

    /**
     * The regions whose stale content (by quorum) takes them out of DNS or out of geo answers, when
     * the policy is {@code policy}.
     */
    private Set<String> stale(Map<String, ContentVerdict> content, ContentSettings.OnStale policy) {
        if (topology.content().onStale() != policy) {
            return Set.of();
        }
        Set<String> out = new TreeSet<>();
        content.values().stream().filter(ContentVerdict::stale).forEach(c -> out.add(c.region()));
        return out;
    }

    private Map<String, RegionStatus> regionStates(
            Map<String, Verdict> verdicts,
            Map<String, RegionStatus> previous,
            Map<String, ContentVerdict> content,
            Instant now) {
        Map<String, RegionStatus> out = new LinkedHashMap<>();
        for (Region r : topology.regions().values()) {
            out.put(
                    r.name(),
                    RegionStates.evaluate(
                            r,
                            verdicts,
                            overrides.active(r.name()),
                            Optional.ofNullable(content.get(r.name())),
                            Optional.ofNullable(previous.get(r.name())),
                            now));
        }
        return Collections.unmodifiableMap(out);
    }
}
