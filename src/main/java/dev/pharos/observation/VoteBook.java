package dev.pharos.observation;

import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.probe.ProbeResult;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** This vantage point's votes: one {@link VoteMachine} per target, fed by probe results. */
@Singleton
public class VoteBook {
    private final Map<String, VoteState> states = new ConcurrentHashMap<>();
    private final Duration staleAfter;

    @Inject
    public VoteBook(Topology topology, Clock clock) {
        Instant now = clock.instant();
        topology.targets().forEach(t -> states.put(t.id(), VoteState.initial(now)));
        this.staleAfter = topology.quorum().staleAfter();
    }

    /** Applies one result; returns the change if the vote changed. */
    public Optional<VoteChange> record(Target target, ProbeResult result, Instant at) {
        VoteChange[] change = new VoteChange[1];
        states.compute(
                target.id(),
                (id, before) -> {
                    VoteState prev = before == null ? VoteState.initial(at) : before;
                    VoteState next =
                            VoteMachine.next(
                                    prev,
                                    result.success(),
                                    target.probe().rise(),
                                    target.probe().fall(),
                                    at);
                    if (next.vote() != prev.vote()) {
                        change[0] = new VoteChange(id, prev.vote(), next.vote(), at);
                    }
                    return next;
                });
        return Optional.ofNullable(change[0]);
    }

    public VoteState get(String targetId) {
        return states.get(targetId);
    }

    /** A vote is fresh while its last result is younger than stale-after. */
    public boolean fresh(String targetId, Instant now) {
        VoteState s = states.get(targetId);
        return s != null
                && s.lastResultAt().map(t -> t.plus(staleAfter).isAfter(now)).orElse(false);
    }

    public Map<String, VoteState> snapshot() {
        return new LinkedHashMap<>(states);
    }
}
