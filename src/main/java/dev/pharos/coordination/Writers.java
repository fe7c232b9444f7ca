package dev.pharos.coordination;

import dev.pharos.config.PeerInfo;
import dev.pharos.config.Topology;
import dev.pharos.journal.Event;
import dev.pharos.journal.PipelineEvent.WritersOk;
import dev.pharos.journal.PipelineEvent.WritersWrong;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.WriterRole;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Counts the writers once per pipeline round (after warm-up: before it, peers are still arriving)
 * and says when the count goes wrong or right again. The latest count is read by readiness and the
 * status API.
 */
@Singleton
public class Writers {
    private final String self;
    private final List<PeerInfo> peers;
    private final boolean expected;
    private final WriterRole role;
    private final PeerObservations observations;
    private final CoordinationMetrics metrics;
    private volatile Optional<WriterCheck> latest = Optional.empty();

    @Inject
    public Writers(
            Topology topology,
            WriterRole role,
            PeerObservations observations,
            CoordinationMetrics metrics) {
        this.self = topology.nodeName();
        this.peers = topology.peers();
        this.expected = expected(topology);
        this.role = role;
        this.observations = observations;
        this.metrics = metrics;
    }

    /** Exactly one writer is expected while an external actuator is configured, outside dry-run. */
    public static boolean expected(Topology topology) {
        return topology.externalActuator() && !topology.policy().dryRun();
    }

    /**
     * Counts the writers now.
     *
     * @return the event to journal when the count went wrong, changed how it is wrong, or became
     *     right again
     */
    public Optional<Event> judge(Instant now) {
        List<WriterCheck.Peer> seen = new ArrayList<>(peers.size());
        for (PeerInfo p : peers) {
            seen.add(
                    new WriterCheck.Peer(
                            p.name(),
                            observations.reachable(p.name(), now),
                            observations.latest(p.name())));
        }
        boolean writes = role.actuates();
        WriterCheck check = WriterCheck.of(self, writes, seen, expected);
        Optional<WriterCheck> before = latest;
        latest = Optional.of(check);
        metrics.update(check, writes, role.term());
        return transition(before, check);
    }

    static Optional<Event> transition(Optional<WriterCheck> before, WriterCheck now) {
        Optional<String> problem = now.problem();
        boolean wasWrong = before.flatMap(WriterCheck::problem).isPresent();
        if (problem.isPresent()) {
            boolean sameKind = wasWrong && (before.get().count() > 1) == (now.count() > 1);
            return sameKind
                    ? Optional.empty()
                    : Optional.of(WritersWrong.of(now.writers(), now.expected(), problem.get()));
        }
        return wasWrong ? Optional.of(WritersOk.of(now.writers())) : Optional.empty();
    }

    /** The latest count, empty before the first judgement. */
    public Optional<WriterCheck> latest() {
        return latest;
    }
}
