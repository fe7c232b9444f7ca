package dev.pharos.reconcile;

import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.decision.DecisionMetrics;
import dev.pharos.decision.RegionStates;
import dev.pharos.decision.RegionStatus;
import dev.pharos.observation.OwnObservations;
import dev.pharos.observation.OwnVantage;
import dev.pharos.observation.PeerObservations;
import dev.pharos.probe.ProbeMetrics;
import dev.pharos.probe.ProbeResult;
import dev.pharos.quorum.QuorumMetrics;
import dev.pharos.quorum.VantageView;
import dev.pharos.quorum.VerdictBoard;
import dev.pharos.quorum.VerdictChange;
import dev.pharos.quorum.VoteBook;
import dev.pharos.quorum.VoteChange;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Drives the pipeline: probe results become votes on the probe threads (cheap, lock-free per
 * target); everything after the votes runs on one thread, so verdicts, region states and what
 * follows from them are computed in one order with no races. It runs once per round (the exchange
 * interval) and at once whenever a vote changes, so a verdict never waits for the next round.
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
    private final VerdictBoard board;
    private final AtomicBoolean triggered = new AtomicBoolean();
    private final List<VoteListener> voteListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private ScheduledExecutorService executor;
    private volatile PipelineState state;
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
            DecisionMetrics decisionMetrics) {
        this.topology = topology;
        this.clock = clock;
        this.observations = observations;
        this.own = own;
        this.peers = peers;
        this.votes = votes;
        this.probeMetrics = probeMetrics;
        this.quorumMetrics = quorumMetrics;
        this.decisionMetrics = decisionMetrics;
        Instant now = clock.instant();
        this.board = new VerdictBoard(topology.quorum(), topology.targets(), Map.of(), now);
        VerdictBoard.Evaluation first = board.evaluate(List.of(), false, now);
        this.state =
                new PipelineState(
                        0,
                        now,
                        first.verdicts(),
                        regionStates(first.verdicts(), Map.of(), now),
                        first.quorum(),
                        first.warm(),
                        0);
    }

    void start(@Observes StartupEvent event) {
        executor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "pharos-pipeline");
                            t.setDaemon(true);
                            return t;
                        });
        long period = topology.quorum().exchangeInterval().toMillis();
        executor.scheduleAtFixedRate(() -> safely(true), period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
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
        if (executor != null && triggered.compareAndSet(false, true)) {
            executor.execute(() -> safely(false));
        }
    }

    public PipelineState state() {
        return state;
    }

    private void safely(boolean tick) {
        try {
            step(tick);
        } catch (RuntimeException e) {
            LOG.error("pipeline step failed", e);
        }
    }

    /** One evaluation: views -> verdicts -> region states. Runs only on the pipeline thread. */
    void step(boolean tick) {
        if (!tick) {
            triggered.set(false);
        }
        Instant now = clock.instant();
        if (tick) {
            round++;
        }
        VerdictBoard.Evaluation ev = board.evaluate(vantageViews(now), tick, now);
        for (VerdictChange c : ev.changes()) {
            LOG.infof(
                    "verdict %s %s -> %s: %s",
                    c.to().targetId(), c.from().health(), c.to().health(), c.to().reason());
        }
        if (ev.quorumChanged()) {
            if (ev.quorum().held()) {
                LOG.infof(
                        "quorum held: %d of %d reachable",
                        ev.quorum().reachable(), ev.quorum().vantagePoints());
            } else {
                LOG.warnf(
                        "quorum lost: only %d of %d vantage points reachable, need %d; verdicts frozen",
                        ev.quorum().reachable(), ev.quorum().vantagePoints(), ev.quorum().size());
            }
        }
        Map<String, RegionStatus> regions = regionStates(ev.verdicts(), state.regions(), now);
        state =
                new PipelineState(
                        round,
                        now,
                        ev.verdicts(),
                        regions,
                        ev.quorum(),
                        ev.warm(),
                        ev.roundsWithQuorum());
        quorumMetrics.update(ev);
        decisionMetrics.update(regions.values());
    }

    private Map<String, RegionStatus> regionStates(
            Map<String, dev.pharos.quorum.Verdict> verdicts,
            Map<String, RegionStatus> previous,
            Instant now) {
        Map<String, RegionStatus> out = new LinkedHashMap<>();
        for (Region r : topology.regions().values()) {
            out.put(
                    r.name(),
                    RegionStates.evaluate(
                            r,
                            verdicts,
                            Optional.empty(),
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
