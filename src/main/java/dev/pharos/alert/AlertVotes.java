package dev.pharos.alert;

import dev.pharos.config.Topology;
import dev.pharos.domain.Voters;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Inbound alerts counted as votes ({@code pharos.alerts.inbound.count-as-vote}): a firing alert
 * about a target, or about a region (its load balancers), stands for one DOWN voter, {@link
 * Voters#ALERTMANAGER}, on those targets until the alert resolves, its {@code endsAt} passes, or
 * {@code vote-ttl} passes since it was last received, whichever comes first. The quorum counts that
 * voter only next to at least one vantage point that votes DOWN itself: it can tip a verdict, never
 * make one alone, and it never counts towards holding quorum.
 *
 * <p>Thread-safe; time comes from the injected clock.
 */
@Singleton
public class AlertVotes {
    private record Vote(Set<String> targets, Instant until) {}

    private final boolean enabled;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Vote> votes = new HashMap<>();

    @Inject
    public AlertVotes(Topology topology, Clock clock) {
        this(
                topology.alerts().inbound().countAsVote(),
                topology.alerts().inbound().voteTtl(),
                clock);
    }

    public AlertVotes(boolean enabled, Duration ttl, Clock clock) {
        this.enabled = enabled;
        this.ttl = ttl;
        this.clock = clock;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Records what an alert says about these targets.
     *
     * @return whether a vote was added, renewed or removed (the verdicts should be re-evaluated)
     */
    public synchronized boolean record(InboundAlert alert, Set<String> targets) {
        if (!enabled || targets.isEmpty()) {
            return false;
        }
        if (!alert.firing() || "false".equals(alert.labels().get(InboundAlert.VOTE_LABEL))) {
            return votes.remove(alert.fingerprint()) != null;
        }
        Instant now = clock.instant();
        Instant until = now.plus(ttl);
        if (alert.endsAt().isPresent() && alert.endsAt().get().isBefore(until)) {
            until = alert.endsAt().get();
        }
        if (!until.isAfter(now)) {
            return votes.remove(alert.fingerprint()) != null;
        }
        votes.put(alert.fingerprint(), new Vote(Set.copyOf(targets), until));
        return true;
    }

    /** Targets with an alert's DOWN vote now; expired votes are forgotten. */
    public synchronized Set<String> down(Instant now) {
        if (votes.isEmpty()) {
            return Set.of();
        }
        votes.values().removeIf(v -> !v.until().isAfter(now));
        Set<String> out = new TreeSet<>();
        votes.values().forEach(v -> out.addAll(v.targets()));
        return out;
    }
}
