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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * This vantage point as the quorum sees it ({@link #view}) and as its peers see it ({@link
 * #snapshot}): both are built from the same votes and observations, so what this instance counts
 * for itself is what it tells the others.
 */
@Singleton
public class OwnVantage {
    private static final int MAX_DETAIL = 200;

    private final String name;
    private final String instance = UUID.randomUUID().toString();
    private final Instant startedAt;
    private final VoteBook votes;
    private final OwnObservations observations;
    private final List<Target> targets;
    private final List<Target> canaries;
    private final Clock clock;
    private final Supplier<List<OperatorAction>> actions;
    private final WriterRole writer;
    private final Supplier<Map<String, ContentVote>> content;
    private final GeoDatabaseStamp geo;
    private final OwnDecision decision;
    private long round;

    @Inject
    public OwnVantage(
            Topology topology,
            VoteBook votes,
            OwnObservations observations,
            Clock clock,
            ActionBook actions,
            WriterRole writer,
            OwnContent content,
            GeoDatabaseStamp geo,
            OwnDecision decision) {
        this(
                topology,
                votes,
                observations,
                clock,
                () -> actions.current().all(),
                writer,
                content::votes,
                geo,
                decision);
    }

    /** Without operator actions (tests of the votes and of what it announces about writing). */
    public OwnVantage(
            Topology topology,
            VoteBook votes,
            OwnObservations observations,
            Clock clock,
            WriterRole writer) {
        this(
                topology,
                votes,
                observations,
                clock,
                List::of,
                writer,
                Map::of,
                Optional::empty,
                new OwnDecision());
    }

    private OwnVantage(
            Topology topology,
            VoteBook votes,
            OwnObservations observations,
            Clock clock,
            Supplier<List<OperatorAction>> actions,
            WriterRole writer,
            Supplier<Map<String, ContentVote>> content,
            GeoDatabaseStamp geo,
            OwnDecision decision) {
        this.geo = geo;
        this.decision = decision;
        this.actions = actions;
        this.content = content;
        this.writer = writer;
        this.name = topology.nodeName();
        this.votes = votes;
        this.observations = observations;
        this.targets = topology.targets();
        this.canaries = topology.canaries();
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public String name() {
        return name;
    }

    public String instance() {
        return instance;
    }

    /** When this process started, by the injected clock: the pipeline creates this at start-up. */
    public Instant startedAt() {
        return startedAt;
    }

    /** This vantage point's votes for the quorum; it is always reachable to itself. */
    public VantageView view(Instant now) {
        Map<String, VantageView.VoteView> own = new LinkedHashMap<>();
        for (Target t : targets) {
            own.put(
                    t.id(),
                    new VantageView.VoteView(votes.get(t.id()).vote(), votes.fresh(t.id(), now)));
        }
        return new VantageView(name, true, abstaining(), own);
    }

    /**
     * A vantage point whose canaries are all DOWN abstains: its own network is the likely fault.
     * One canary down is just that canary.
     */
    public boolean abstaining() {
        if (canaries.isEmpty()) {
            return false;
        }
        for (Target c : canaries) {
            if (votes.get(c.id()).vote() != Health.DOWN) {
                return false;
            }
        }
        return true;
    }

    /**
     * The current snapshot for peers. Synchronized so that a higher round never carries older votes
     * than a lower one.
     */
    public synchronized VantageSnapshot snapshot() {
        Instant now = clock.instant();
        Map<String, VantageSnapshot.TargetVote> out = new LinkedHashMap<>();
        for (Target t : targets) {
            VoteState s = votes.get(t.id());
            Long ageMs =
                    s.lastResultAt()
                            .map(at -> Math.max(0, Duration.between(at, now).toMillis()))
                            .orElse(null);
            VantageSnapshot.Summary last =
                    observations.latest(t.id()).map(OwnVantage::summary).orElse(null);
            out.put(t.id(), new VantageSnapshot.TargetVote(s.vote(), s.since(), ageMs, last));
        }
        round++;
        OptionalLong term = writer.term();
        Map<String, ContentVote> contentVotes = content.get();
        return new VantageSnapshot(
                name,
                instance,
                startedAt,
                round,
                now,
                abstaining(),
                out,
                writer.actuates(),
                term.isPresent() ? term.getAsLong() : null,
                actions.get(),
                contentVotes.isEmpty() ? null : contentVotes,
                geo.current().orElse(null),
                decision.decided(now).orElse(null));
    }

    static VantageSnapshot.Summary summary(ProbeResult r) {
        long micros = r.timings().totalMicros();
        String detail = r.detail();
        if (detail != null && detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL);
        }
        return new VantageSnapshot.Summary(
                r.success(),
                r.reason().map(Enum::name).orElse(null),
                detail,
                micros < 0 ? null : Math.round(micros / 10.0) / 100.0);
    }
}
