package dev.pharos.reconcile;

import dev.pharos.config.Target;
import dev.pharos.observation.CooperativeReprobe;
import dev.pharos.observation.Health;
import dev.pharos.observation.OwnObservations;
import dev.pharos.observation.ProbeHistory;
import dev.pharos.observation.VoteBook;
import dev.pharos.observation.VoteChange;
import dev.pharos.observation.VoteListener;
import dev.pharos.observation.VoteState;
import dev.pharos.probe.ProbeMetrics;
import dev.pharos.probe.ProbeResult;
import dev.pharos.probe.ProbeResultSink;
import dev.pharos.quorum.QuorumMetrics;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Probe results in: each becomes this vantage point's latest observation of its target (and a point
 * of its last hour, {@link ProbeHistory}) and feeds the target's vote. A changed vote is told to
 * every {@link VoteListener} (the peer exchange pushes it) and triggers an evaluation at once. A
 * failure that starts a fall sequence here asks every peer to re-probe the target ({@link
 * CooperativeReprobe}). Runs on the probe threads: cheap, lock-free per target.
 */
@Singleton
public class VoteIntake implements ProbeResultSink {
    private static final Logger LOG = Logger.getLogger(VoteIntake.class);

    private final OwnObservations observations;
    private final VoteBook votes;
    private final ProbeMetrics probeMetrics;
    private final QuorumMetrics quorumMetrics;
    private final Clock clock;
    private final Pipeline pipeline;
    private final Instance<VoteListener> listenerBeans;
    private final CooperativeReprobe cooperative;
    private final ProbeHistory history;
    private volatile List<VoteListener> listeners;

    @Inject
    public VoteIntake(
            OwnObservations observations,
            VoteBook votes,
            ProbeMetrics probeMetrics,
            QuorumMetrics quorumMetrics,
            Clock clock,
            Pipeline pipeline,
            @Any Instance<VoteListener> listeners,
            CooperativeReprobe cooperative,
            ProbeHistory history) {
        this.observations = observations;
        this.votes = votes;
        this.probeMetrics = probeMetrics;
        this.quorumMetrics = quorumMetrics;
        this.clock = clock;
        this.pipeline = pipeline;
        this.listenerBeans = listeners;
        this.cooperative = cooperative;
        this.history = history;
    }

    @Override
    public void accept(Target target, ProbeResult result, long lagNanos) {
        observations.record(target, result);
        history.record(target.id(), result.success(), result.timings().totalMicros() / 1000.0);
        probeMetrics.record(target, result, lagNanos);
        Optional<VoteChange> change = votes.record(target, result, clock.instant());
        VoteState state = votes.get(target.id());
        quorumMetrics.vote(target.id(), state.vote());
        if (startsFallSequence(result, state, change)) {
            cooperative.firstFailure(target.id(), result.detail());
        }
        if (change.isPresent()) {
            VoteChange c = change.get();
            LOG.infof("vote %s %s -> %s (%s)", c.targetId(), c.from(), c.to(), result.detail());
            listeners().forEach(l -> l.voteChanged(c));
            pipeline.trigger();
        }
    }

    /**
     * The first failure after a success (or of a target never probed successfully) while the vote
     * is not DOWN, or one that turned it DOWN at once ({@code fall: 1}): the moment the peers
     * should look too. Later failures of the sequence, and failures of a DOWN target, ask nothing.
     */
    static boolean startsFallSequence(
            ProbeResult result, VoteState state, Optional<VoteChange> change) {
        return !result.success()
                && state.streak() == 1
                && (state.vote() != Health.DOWN || change.isPresent());
    }

    /**
     * Resolved once, on the first change: a lookup per vote change would cost on the probe path.
     */
    private List<VoteListener> listeners() {
        List<VoteListener> l = listeners;
        if (l == null) {
            l = listenerBeans.stream().toList();
            listeners = l;
        }
        return l;
    }
}
