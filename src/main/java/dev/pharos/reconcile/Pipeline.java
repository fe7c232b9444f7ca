package dev.pharos.reconcile;

import dev.pharos.alert.AlertVotes;
import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.decision.DecisionMetrics;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.Guard;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.decision.RegionStates;
import dev.pharos.decision.RegionStatus;
import dev.pharos.journal.Journal;
import dev.pharos.journal.PersistedState;
import dev.pharos.journal.PipelineEvent.Started;
import dev.pharos.journal.PipelineEvent.Stopped;
import dev.pharos.journal.StateStore;
import dev.pharos.observation.OwnObservations;
import dev.pharos.observation.OwnVantage;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.VantageView;
import dev.pharos.observation.VoteBook;
import dev.pharos.observation.VoteChange;
import dev.pharos.probe.ProbeMetrics;
import dev.pharos.probe.ProbeResult;
import dev.pharos.quorum.Ballots;
import dev.pharos.quorum.QuorumMetrics;
import dev.pharos.quorum.Verdict;
import dev.pharos.quorum.VerdictBoard;
import dev.pharos.quorum.VerdictChange;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Drives the pipeline. Probe results become votes on the probe threads (cheap, lock-free per
 * target); everything after the votes runs on one thread, {@code pharos-pipeline}: verdicts, region
 * states, the decision with its guards, journaling, and handing the desired state to the actuators.
 * It runs once per round (the exchange interval) and at once whenever a vote changes or a peer's
 * data arrives, so a verdict never waits for the next round.
 *
 * <p>Nothing is decided while warming up after start or without quorum: the desired state stays
 * what it was (restored from disk after a restart), so a restart never flaps DNS.
 */
@Singleton
public class Pipeline {
    private static final Logger LOG = Logger.getLogger(Pipeline.class);

    private final Topology topology;
    private final Clock clock;
    private final OwnObservations observations;
    private final OwnVantage own;
    private final PeerObservations peers;
    private final VoteBook votes;
    private final ProbeMetrics probeMetrics;
    private final QuorumMetrics quorumMetrics;
    private final DecisionMetrics decisionMetrics;
    private final StateStore store;
    private final Journal journal;
    private final Overrides overrides;
    private final Actuators actuators;
    private final AlertVotes alertVotes;
    private final EventRecorder events;
    private final VerdictBoard board;
    private final AtomicBoolean triggered = new AtomicBoolean();
    private final List<VoteListener> voteListeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService executor;
    private volatile PipelineState state;
    private final DecisionStep decisions;
    private long round;

    /** Told about every change of this vantage point's own votes (the peer push uses it). */
    public interface VoteListener {
        void voteChanged(VoteChange change);
    }

    @Inject
    public Pipeline(
            Topology topology,
            Clock clock,
            OwnObservations observations,
            OwnVantage own,
            PeerObservations peers,
            VoteBook votes,
            ProbeMetrics probeMetrics,
            QuorumMetrics quorumMetrics,
            DecisionMetrics decisionMetrics,
            StateStore store,
            Journal journal,
            Overrides overrides,
            Actuators actuators,
            AlertVotes alertVotes) {
        this.topology = topology;
        this.clock = clock;
        this.observations = observations;
        this.own = own;
        this.peers = peers;
        this.votes = votes;
        this.probeMetrics = probeMetrics;
        this.quorumMetrics = quorumMetrics;
        this.decisionMetrics = decisionMetrics;
        this.store = store;
        this.journal = journal;
        this.overrides = overrides;
        this.actuators = actuators;
        this.alertVotes = alertVotes;
        this.events = new EventRecorder(topology, journal);
        Instant now = clock.instant();
        PersistedState saved = store.get();
        this.decisions =
                new DecisionStep(topology, store, journal, events, actuators, saved.decision());
        this.board = new VerdictBoard(topology.quorum(), topology.targets(), saved.verdicts(), now);
        VerdictBoard.Evaluation first = board.evaluate(List.of(), false, now);
        Map<String, RegionStatus> regions = regionStates(first.verdicts(), Map.of(), now);
        this.state =
                new PipelineState(
                        0,
                        now,
                        first.verdicts(),
                        regions,
                        first.quorum(),
                        first.warm(),
                        0,
                        restoredDesired(saved),
                        Optional.of(Freeze.atStart()));
    }

    /** The desired state saved before a restart, else every configured address (fail open). */
    private DesiredState restoredDesired(PersistedState saved) {
        return new DesiredState(
                ManagedRecords.restore(topology, saved.desiredRecords()),
                Map.of(),
                List.of(),
                false);
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
        // the first round at once: a single vantage point has quorum from the start, and peers join
        // as
        // their data arrives; readiness also waits for the first probe round
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

    public void addVoteListener(VoteListener listener) {
        voteListeners.add(listener);
    }

    /** Called on a probe thread for every result. */
    public void onProbeResult(Target target, ProbeResult result, long lagNanos) {
        observations.record(target, result);
        probeMetrics.record(target, result, lagNanos);
        Optional<VoteChange> change = votes.record(target, result, clock.instant());
        quorumMetrics.vote(target.id(), votes.get(target.id()).vote());
        if (change.isPresent()) {
            VoteChange c = change.get();
            LOG.infof("vote %s %s -> %s (%s)", c.targetId(), c.from(), c.to(), result.detail());
            voteListeners.forEach(l -> l.voteChanged(c));
            trigger();
        }
    }

    /** Asks for an evaluation as soon as possible; several requests coalesce into one. */
    public void trigger() {
        if (executor != null && !executor.isShutdown() && triggered.compareAndSet(false, true)) {
            try {
                executor.execute(() -> safely(false));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down: nothing more to evaluate
            }
        }
    }

    public PipelineState state() {
        return state;
    }

    /** Runs {@code task} on the pipeline thread, after whatever it is doing now. */
    public void submit(Runnable task) {
        if (executor != null) {
            executor.execute(task);
        } else {
            task.run();
        }
    }

    /** Operator confirmation of removals the blast-radius guard holds back. */
    public List<String> confirm(List<String> regions, String by) {
        List<String> blocked = new ArrayList<>();
        state.desired().guards().stream()
                .filter(g -> g.guard() == Guard.BLAST_RADIUS)
                .forEach(g -> g.region().ifPresent(blocked::add));
        List<String> confirm = regions == null || regions.isEmpty() ? blocked : regions;
        List<String> unknown = confirm.stream().filter(r -> !blocked.contains(r)).toList();
        if (confirm.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    confirm.isEmpty()
                            ? "no removal is waiting for confirmation"
                            : "not waiting for confirmation: " + String.join(", ", unknown));
        }
        Instant now = clock.instant();
        submit(
                () -> {
                    decisions.confirm(confirm, by, now);
                    step(false);
                });
        return confirm;
    }

    private void safely(boolean tick) {
        try {
            step(tick);
        } catch (RuntimeException e) {
            LOG.error("pipeline step failed", e);
        }
    }

    /** One evaluation. Runs only on the pipeline thread. */
    void step(boolean tick) {
        if (!tick) {
            triggered.set(false);
        }
        Instant now = clock.instant();
        if (tick) {
            round++;
            overrides.expire();
        }
        PipelineState before = state;
        List<VantageView> views = vantageViews(now);
        Set<String> alertDown = alertVotes.down(now);
        VerdictBoard.Evaluation ev = board.evaluate(views, alertDown, tick, now);
        Evidence evidence =
                new Evidence(ev.verdicts(), id -> Ballots.of(id, views, alertDown.contains(id)));
        for (VerdictChange c : ev.changes()) {
            LOG.infof(
                    "verdict %s %s -> %s: %s",
                    c.to().targetId(), c.from().health(), c.to().health(), c.to().reason());
            events.verdictChanged(c, evidence.ballotsOf(c.to().targetId()));
        }
        if (!ev.changes().isEmpty()) {
            store.update(s -> s.withVerdicts(ev.verdicts()));
        }
        if (ev.quorumChanged() && (before.round() > 0 || !ev.quorum().held())) {
            events.quorumChanged(ev.quorum());
        }
        if (ev.warm() && !before.warm()) {
            events.warmupDone(round);
        }
        Map<String, RegionStatus> regions = regionStates(ev.verdicts(), before.regions(), now);
        for (RegionStatus r : regions.values()) {
            RegionStatus old = before.regions().get(r.region());
            if (old != null && old.state() != r.state()) {
                LOG.infof("region %s %s -> %s: %s", r.region(), old.state(), r.state(), r.reason());
                events.regionChanged(old, r, evidence);
            }
        }
        DesiredState desired = before.desired();
        Optional<Freeze> frozen = Optional.empty();
        if (!ev.warm()) {
            frozen =
                    Optional.of(
                            Freeze.warmingUp(
                                    ev.roundsWithQuorum(), topology.quorum().warmupRounds()));
        } else if (!ev.quorum().held()) {
            frozen = Optional.of(Freeze.quorumLost());
        } else {
            desired = decisions.decide(before, regions, evidence, now);
        }
        quorumMetrics.update(ev);
        decisionMetrics.update(regions.values());
        decisionMetrics.allRegionsDown(desired.allRegionsDown());
        // metrics first: whoever sees the new state also sees the metrics that go with it
        state =
                new PipelineState(
                        round,
                        now,
                        ev.verdicts(),
                        regions,
                        ev.quorum(),
                        ev.warm(),
                        ev.roundsWithQuorum(),
                        desired,
                        frozen);
    }

    private Map<String, RegionStatus> regionStates(
            Map<String, Verdict> verdicts, Map<String, RegionStatus> previous, Instant now) {
        Map<String, RegionStatus> out = new LinkedHashMap<>();
        for (Region r : topology.regions().values()) {
            out.put(
                    r.name(),
                    RegionStates.evaluate(
                            r,
                            verdicts,
                            overrides.active(r.name()),
                            Optional.ofNullable(previous.get(r.name())),
                            now));
        }
        return Collections.unmodifiableMap(out);
    }

    /** This vantage point's own view, then each peer's as the observation exchange has it. */
    private List<VantageView> vantageViews(Instant now) {
        List<VantageView> views = new ArrayList<>();
        views.add(own.view(now));
        views.addAll(peers.views(now));
        return views;
    }
}
