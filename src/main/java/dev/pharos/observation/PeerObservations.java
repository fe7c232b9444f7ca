package dev.pharos.observation;

import dev.pharos.config.PeerInfo;
import dev.pharos.config.Topology;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The freshest snapshot received from every peer, and what the quorum may count of it.
 *
 * <ul>
 *   <li>A peer is reachable while its latest snapshot arrived within {@code stale-after}, by this
 *       instance's clock.
 *   <li>A peer's vote is fresh while the peer is reachable and the vote's age at the sender plus
 *       the time since receipt is below {@code stale-after}; the machines' clocks never need to
 *       agree.
 *   <li>The freshest snapshot per peer is kept: within one instance of the peer the higher round
 *       wins; a later-started instance always wins over an earlier one (its round starts again).
 * </ul>
 *
 * Thread-safe: snapshots arrive on Vert.x threads (pulls) and HTTP threads (pushes); the pipeline
 * reads on its own thread.
 */
@Singleton
public class PeerObservations {
    /** How a snapshot arrived. */
    public enum Via {
        PULL,
        PUSH;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A snapshot as received, with the receipt time by this instance's clock. */
    public record Received(VantageSnapshot snapshot, Instant receivedAt, Via via) {}

    private record PeerState(Received latest, String lastError, Instant lastErrorAt) {
        static final PeerState EMPTY = new PeerState(null, null, null);
    }

    private final String self;
    private final List<PeerInfo> peers;
    private final Set<String> targetIds;
    private final Set<String> vantagePoints = new HashSet<>();
    private final Duration staleAfter;
    private final Clock clock;
    private final Map<String, PeerState> states = new ConcurrentHashMap<>();

    @Inject
    public PeerObservations(Topology topology, Clock clock) {
        this.self = topology.nodeName();
        this.peers = topology.peers();
        this.targetIds = topology.targetsById().keySet();
        this.staleAfter = topology.quorum().staleAfter();
        this.clock = clock;
        peers.forEach(p -> states.put(p.name(), PeerState.EMPTY));
        vantagePoints.add(self);
        vantagePoints.addAll(states.keySet());
    }

    /** Why a snapshot cannot be taken, if it cannot; in words for a problem response. */
    public Optional<String> problem(VantageSnapshot s) {
        if (s.vantage() == null || s.vantage().isBlank()) {
            return Optional.of("vantage is required");
        }
        if (s.vantage().equals(self)) {
            return Optional.of("vantage '" + s.vantage() + "' is this node's own name");
        }
        if (!states.containsKey(s.vantage())) {
            List<String> names = peers.stream().map(PeerInfo::name).toList();
            return Optional.of(
                    "unknown vantage point '"
                            + s.vantage()
                            + "'; configured peers: "
                            + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        if (s.instance() == null || s.instance().isBlank()) {
            return Optional.of("instance is required");
        }
        if (s.startedAt() == null) {
            return Optional.of("startedAt is required");
        }
        if (s.round() < 1) {
            return Optional.of("round must be at least 1, got " + s.round());
        }
        if (s.targets() == null) {
            return Optional.of("targets is required");
        }
        Optional<String> action = ActionSet.problem(s.actions(), vantagePoints);
        if (action.isPresent()) {
            return action;
        }
        for (Map.Entry<String, VantageSnapshot.TargetVote> e : s.targets().entrySet()) {
            VantageSnapshot.TargetVote v = e.getValue();
            if (v == null || v.vote() == null) {
                return Optional.of("targets." + e.getKey() + ".vote is required");
            }
            if (v.ageMs() != null && v.ageMs() < 0) {
                return Optional.of("targets." + e.getKey() + ".ageMs must not be negative");
            }
        }
        return Optional.empty();
    }

    /**
     * Stores a valid snapshot (see {@link #problem}) if it is fresher than the one held.
     *
     * @return false if the snapshot was older than the one held and was dropped
     */
    public boolean accept(VantageSnapshot s, Via via) {
        Instant now = clock.instant();
        boolean[] taken = new boolean[1];
        states.computeIfPresent(
                s.vantage(),
                (name, st) -> {
                    if (!supersedes(s, st.latest(), now, staleAfter)) {
                        return st;
                    }
                    taken[0] = true;
                    return new PeerState(
                            new Received(s, now, via), st.lastError(), st.lastErrorAt());
                });
        return taken[0];
    }

    /** Records a failed pull or push (the message never holds a token). */
    public void failed(String peer, String error) {
        Instant now = clock.instant();
        states.computeIfPresent(peer, (n, st) -> new PeerState(st.latest(), error, now));
    }

    /** The freshest snapshot held for a peer. */
    public Optional<Received> latest(String peer) {
        PeerState st = states.get(peer);
        return st == null ? Optional.empty() : Optional.ofNullable(st.latest());
    }

    public boolean reachable(String peer, Instant now) {
        return reachable(latest(peer).orElse(null), now, staleAfter);
    }

    /** Whether a peer's vote may be counted now. */
    public boolean fresh(Received r, VantageSnapshot.TargetVote vote, Instant now) {
        return fresh(r, vote, now, staleAfter);
    }

    /** One view per configured peer, in configuration order, for the quorum. */
    public List<VantageView> views(Instant now) {
        List<VantageView> out = new ArrayList<>(peers.size());
        for (PeerInfo p : peers) {
            Received r = states.get(p.name()).latest();
            if (!reachable(r, now, staleAfter)) {
                out.add(new VantageView(p.name(), false, false, Map.of()));
                continue;
            }
            Map<String, VantageView.VoteView> votes = new LinkedHashMap<>();
            r.snapshot()
                    .targets()
                    .forEach(
                            (id, v) -> {
                                if (targetIds.contains(id)) {
                                    votes.put(
                                            id,
                                            new VantageView.VoteView(
                                                    v.vote(), fresh(r, v, now, staleAfter)));
                                }
                            });
            out.add(new VantageView(p.name(), true, r.snapshot().abstaining(), votes));
        }
        return out;
    }

    /** Per-peer reachability and staleness, in configuration order, for status and metrics. */
    public List<PeerStatus> status(Instant now) {
        List<PeerStatus> out = new ArrayList<>(peers.size());
        for (PeerInfo p : peers) {
            PeerState st = states.get(p.name());
            Received r = st.latest();
            out.add(
                    new PeerStatus(
                            p.name(),
                            p.url().toString(),
                            reachable(r, now, staleAfter),
                            r == null ? null : elapsedMillis(r.receivedAt(), now),
                            r == null ? null : r.via().label(),
                            r == null ? null : r.snapshot().instance(),
                            r == null ? null : r.snapshot().round(),
                            r == null ? null : r.snapshot().abstaining(),
                            st.lastError(),
                            st.lastErrorAt() == null
                                    ? null
                                    : elapsedMillis(st.lastErrorAt(), now)));
        }
        return out;
    }

    /**
     * The peers whose latest snapshot holds this very entry (same key and stamp), in configuration
     * order.
     */
    public List<String> holding(OperatorAction action) {
        List<String> out = new ArrayList<>();
        for (PeerInfo p : peers) {
            Received r = states.get(p.name()).latest();
            if (r != null
                    && r.snapshot().actionsOrEmpty().stream()
                            .anyMatch(
                                    a ->
                                            a.key().equals(action.key())
                                                    && a.hlc().equals(action.hlc()))) {
                out.add(p.name());
            }
        }
        return out;
    }

    public Duration staleAfter() {
        return staleAfter;
    }

    /** Whether {@code candidate} should replace {@code held}. */
    static boolean supersedes(
            VantageSnapshot candidate, Received held, Instant now, Duration staleAfter) {
        if (held == null) {
            return true;
        }
        VantageSnapshot h = held.snapshot();
        if (h.instance().equals(candidate.instance())) {
            return candidate.round() > h.round();
        }
        // another run of the peer: the later-started one is current; an earlier-started one can
        // only be a late answer from before a restart, unless what we hold has gone stale anyway
        // (which also recovers from a peer whose clock stepped back across a restart)
        return !candidate.startedAt().isBefore(h.startedAt()) || !reachable(held, now, staleAfter);
    }

    static boolean reachable(Received r, Instant now, Duration staleAfter) {
        return r != null && sinceReceipt(r, now, staleAfter) < staleAfter.toMillis();
    }

    static boolean fresh(
            Received r, VantageSnapshot.TargetVote vote, Instant now, Duration staleAfter) {
        return reachable(r, now, staleAfter)
                && vote.ageMs() != null
                && vote.ageMs() + sinceReceipt(r, now, staleAfter) < staleAfter.toMillis();
    }

    /**
     * Milliseconds since receipt. A receipt slightly after {@code now} is normal (a snapshot
     * arrives while the pipeline evaluates with the time it read a moment before) and counts as
     * just received; one more than stale-after ahead means this clock stepped back, and the data
     * counts as stale rather than fresh for an unknown time.
     */
    private static long sinceReceipt(Received r, Instant now, Duration staleAfter) {
        long ms = Duration.between(r.receivedAt(), now).toMillis();
        if (ms < -staleAfter.toMillis()) {
            return Long.MAX_VALUE / 2;
        }
        return Math.max(0, ms);
    }

    /** Time since {@code then}; never negative, even if this clock stepped back. */
    static long elapsedMillis(Instant then, Instant now) {
        return Math.max(0, Duration.between(then, now).toMillis());
    }
}
