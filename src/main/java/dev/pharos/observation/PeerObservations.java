package dev.pharos.observation;

import dev.pharos.config.PeerInfo;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordSet;
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
 *       Whatever is held gives way to any valid snapshot once it has gone stale, so no snapshot (a
 *       forged one included) can shut a peer's genuine ones out for longer than stale-after.
 *   <li>Every number is bounded ({@link #check}): a round may advance at most {@link
 *       #MAX_ROUND_STEP} over the one held, and never beyond {@link #MAX_ROUNDS_PER_SECOND} per
 *       second of the sender's run; {@code ageMs} is never negative nor older than the sender's
 *       run; {@code startedAt} is at most {@code max-clock-skew} in the future. A vote whose age is
 *       at or beyond stale-after is never counted, however large the number.
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

    /**
     * A reachable peer that decides, with its desired records.
     *
     * @param ageMs how long ago its records took their value: the age at the sender plus the time
     *     since receipt, by this instance's clock
     */
    public record Deciding(String peer, List<RecordSet> records, long ageMs) {}

    /** A snapshot as received, with the receipt time by this instance's clock. */
    public record Received(VantageSnapshot snapshot, Instant receivedAt, Via via) {}

    private record PeerState(Received latest, String lastError, Instant lastErrorAt) {
        static final PeerState EMPTY = new PeerState(null, null, null);
    }

    /** How far a round may advance over the one held from the same run of a peer. */
    public static final long MAX_ROUND_STEP = 100_000;

    /**
     * How many snapshots a run may produce per second of its life (one per pull by each peer and
     * one per vote change are a handful; this is generous by three orders of magnitude).
     */
    public static final long MAX_ROUNDS_PER_SECOND = 10_000;

    private final String self;
    private final List<PeerInfo> peers;
    private final Set<String> targetIds;
    private final Map<String, Duration> contentIntervals = new LinkedHashMap<>();
    private final Set<String> vantagePoints = new HashSet<>();
    private final Duration staleAfter;
    private final Duration maxClockSkew;
    private final Clock clock;
    private final Map<String, PeerState> states = new ConcurrentHashMap<>();

    @Inject
    public PeerObservations(Topology topology, Clock clock) {
        this.self = topology.nodeName();
        this.peers = topology.peers();
        this.targetIds = topology.targetsById().keySet();
        topology.content()
                .regions()
                .forEach((name, rc) -> contentIntervals.put(name, rc.interval()));
        this.staleAfter = topology.quorum().staleAfter();
        this.maxClockSkew = topology.quorum().maxClockSkew();
        this.clock = clock;
        peers.forEach(p -> states.put(p.name(), PeerState.EMPTY));
        vantagePoints.add(self);
        vantagePoints.addAll(states.keySet());
    }

    /** Why a snapshot cannot be taken, if it cannot; in words for a problem response. */
    public Optional<String> problem(VantageSnapshot s) {
        return check(s).map(PeerRefusal::detail);
    }

    /** Why a snapshot cannot be taken, if it cannot, by this instance's clock now. */
    public Optional<PeerRefusal> check(VantageSnapshot s) {
        return check(s, clock.instant());
    }

    Optional<PeerRefusal> check(VantageSnapshot s, Instant now) {
        if (s.vantage() == null || s.vantage().isBlank()) {
            return Optional.of(PeerRefusal.invalid("vantage is required"));
        }
        if (s.vantage().equals(self)) {
            return Optional.of(
                    PeerRefusal.invalid("vantage '" + s.vantage() + "' is this node's own name"));
        }
        if (!states.containsKey(s.vantage())) {
            List<String> names = peers.stream().map(PeerInfo::name).toList();
            return Optional.of(
                    PeerRefusal.invalid(
                            "unknown vantage point '"
                                    + s.vantage()
                                    + "'; configured peers: "
                                    + (names.isEmpty() ? "none" : String.join(", ", names))));
        }
        if (s.instance() == null || s.instance().isBlank()) {
            return Optional.of(PeerRefusal.invalid("instance is required"));
        }
        if (s.startedAt() == null) {
            return Optional.of(PeerRefusal.invalid("startedAt is required"));
        }
        if (s.round() < 1) {
            return Optional.of(PeerRefusal.invalid("round must be at least 1, got " + s.round()));
        }
        if (s.targets() == null) {
            return Optional.of(PeerRefusal.invalid("targets is required"));
        }
        if (s.startedAt().isAfter(now.plus(maxClockSkew))) {
            return Optional.of(
                    new PeerRefusal(
                            PeerRefusal.Reason.STARTED_AT,
                            "startedAt "
                                    + s.startedAt()
                                    + " is more than max-clock-skew "
                                    + maxClockSkew.toMillis()
                                    + " ms in the future"));
        }
        // how long the sender has been running, at most: its start by its clock, ours may lag
        long lifeMs = saturatedMillis(s.startedAt(), now) + maxClockSkew.toMillis();
        long lifeSeconds = lifeMs / 1000;
        long maxRound =
                lifeSeconds > (Long.MAX_VALUE - MAX_ROUND_STEP) / MAX_ROUNDS_PER_SECOND
                        ? Long.MAX_VALUE
                        : MAX_ROUND_STEP + lifeSeconds * MAX_ROUNDS_PER_SECOND;
        if (s.round() > maxRound) {
            return Optional.of(
                    new PeerRefusal(
                            PeerRefusal.Reason.ROUND,
                            "round "
                                    + s.round()
                                    + " is more than a run started at "
                                    + s.startedAt()
                                    + " can have produced ("
                                    + maxRound
                                    + ")"));
        }
        Received held = latest(s.vantage()).orElse(null);
        if (held != null
                && held.snapshot().instance().equals(s.instance())
                && reachable(held, now, staleAfter)
                && s.round() - held.snapshot().round() > MAX_ROUND_STEP) {
            return Optional.of(
                    new PeerRefusal(
                            PeerRefusal.Reason.ROUND,
                            "round jumps from "
                                    + held.snapshot().round()
                                    + " to "
                                    + s.round()
                                    + ", more than "
                                    + MAX_ROUND_STEP
                                    + " at once"));
        }
        Optional<String> action = ActionSet.problem(s.actions(), vantagePoints);
        if (action.isPresent()) {
            return action.map(PeerRefusal::invalid);
        }
        if (s.geoDatabase() != null
                && (s.geoDatabase().sha256() == null
                        || !s.geoDatabase().sha256().matches("[0-9a-f]{64}"))) {
            return Optional.of(
                    PeerRefusal.invalid("geoDatabase.sha256 must be 64 lower-case hex digits"));
        }
        for (Map.Entry<String, ContentVote> e : s.contentOrEmpty().entrySet()) {
            ContentVote v = e.getValue();
            String key = "content." + e.getKey();
            if (v == null || v.state() == null) {
                return Optional.of(PeerRefusal.invalid(key + ".state is required"));
            }
            if (v.ageMs() != null && (v.ageMs() < 0 || v.ageMs() > lifeMs)) {
                return Optional.of(
                        new PeerRefusal(
                                PeerRefusal.Reason.AGE,
                                key
                                        + ".ageMs "
                                        + v.ageMs()
                                        + " is negative or older than the sender's run"));
            }
            if (v.detail() != null && v.detail().length() > ContentVote.MAX_DETAIL) {
                return Optional.of(
                        PeerRefusal.invalid(
                                key + ".detail is longer than " + ContentVote.MAX_DETAIL));
            }
        }
        Optional<PeerRefusal> decided = checkDecided(s.decided(), lifeMs);
        if (decided.isPresent()) {
            return decided;
        }
        for (Map.Entry<String, VantageSnapshot.TargetVote> e : s.targets().entrySet()) {
            VantageSnapshot.TargetVote v = e.getValue();
            if (v == null || v.vote() == null) {
                return Optional.of(
                        PeerRefusal.invalid("targets." + e.getKey() + ".vote is required"));
            }
            if (v.ageMs() != null && v.ageMs() < 0) {
                return Optional.of(
                        new PeerRefusal(
                                PeerRefusal.Reason.AGE,
                                "targets." + e.getKey() + ".ageMs must not be negative"));
            }
            if (v.ageMs() != null && v.ageMs() > lifeMs) {
                return Optional.of(
                        new PeerRefusal(
                                PeerRefusal.Reason.AGE,
                                "targets."
                                        + e.getKey()
                                        + ".ageMs "
                                        + v.ageMs()
                                        + " is older than the sender's run (started at "
                                        + s.startedAt()
                                        + ")"));
            }
        }
        return Optional.empty();
    }

    private static Optional<PeerRefusal> checkDecided(VantageSnapshot.Decided d, long lifeMs) {
        if (d == null) {
            return Optional.empty();
        }
        if (d.ageMs() == null || d.ageMs() < 0 || d.ageMs() > lifeMs) {
            return Optional.of(
                    new PeerRefusal(
                            PeerRefusal.Reason.AGE,
                            "decided.ageMs "
                                    + d.ageMs()
                                    + " is missing, negative or older than the sender's run"));
        }
        if (d.records() == null) {
            return Optional.of(PeerRefusal.invalid("decided.records is required"));
        }
        if (d.records().size() > VantageSnapshot.Decided.MAX_RECORDS) {
            return Optional.of(
                    PeerRefusal.invalid(
                            "decided.records has more than "
                                    + VantageSnapshot.Decided.MAX_RECORDS
                                    + " RRsets"));
        }
        for (int i = 0; i < d.records().size(); i++) {
            RecordSet r = d.records().get(i);
            if (r == null
                    || r.key() == null
                    || r.key().name() == null
                    || r.key().type() == null
                    || r.values() == null
                    || r.values().size() > VantageSnapshot.Decided.MAX_RECORDS) {
                return Optional.of(
                        PeerRefusal.invalid(
                                "decided.records["
                                        + i
                                        + "] needs a key (name, type) and at most "
                                        + VantageSnapshot.Decided.MAX_RECORDS
                                        + " values"));
            }
        }
        return Optional.empty();
    }

    /**
     * Every reachable peer that decides now (its latest snapshot carries {@code decided}), in
     * configuration order: what a restarted instance takes before its own warm-up ends.
     */
    public List<Deciding> deciding(Instant now) {
        List<Deciding> out = new ArrayList<>();
        for (PeerInfo p : peers) {
            Received r = states.get(p.name()).latest();
            if (!reachable(r, now, staleAfter) || r.snapshot().decided() == null) {
                continue;
            }
            VantageSnapshot.Decided d = r.snapshot().decided();
            long age = d.ageMs() + sinceReceipt(r, now, staleAfter);
            out.add(new Deciding(p.name(), d.records(), age));
        }
        return out;
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

    /**
     * Every reachable peer's content votes that may be counted now, by peer then region, in
     * configuration order: not abstaining, for a checked region, and younger than three of the
     * region's content intervals (the vote's age at the sender plus the time since receipt). A peer
     * without a countable vote on a region is left out for that region.
     */
    public Map<String, Map<String, ContentVote>> contentVotes(Instant now) {
        Map<String, Map<String, ContentVote>> out = new LinkedHashMap<>();
        for (PeerInfo p : peers) {
            Received r = states.get(p.name()).latest();
            if (!reachable(r, now, staleAfter) || r.snapshot().abstaining()) {
                continue;
            }
            long since = sinceReceipt(r, now, staleAfter);
            Map<String, ContentVote> votes = new LinkedHashMap<>();
            r.snapshot()
                    .contentOrEmpty()
                    .forEach(
                            (region, v) -> {
                                Duration interval = contentIntervals.get(region);
                                if (interval != null
                                        && v.ageMs() != null
                                        && v.ageMs() < interval.toMillis() * 3 - since) {
                                    votes.put(region, v);
                                }
                            });
            out.put(p.name(), votes);
        }
        return out;
    }

    /**
     * The reachable peers whose location database is not the one with {@code sha256} (the one
     * served here), in configuration order; a peer that names none (it has no database, or its
     * version predates the field) counts as different.
     */
    public List<String> geoDatabasesDiffering(String sha256, Instant now) {
        List<String> out = new ArrayList<>();
        for (PeerInfo p : peers) {
            Received r = states.get(p.name()).latest();
            if (!reachable(r, now, staleAfter)) {
                continue;
            }
            VantageSnapshot.GeoDatabase g = r.snapshot().geoDatabase();
            if (g == null || !g.sha256().equals(sha256)) {
                out.add(p.name());
            }
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
        if (held == null || !reachable(held, now, staleAfter)) {
            // nothing current held: any valid snapshot is better, whatever its round; so neither
            // a huge round nor a late start date can shut the peer out for longer than this
            return true;
        }
        VantageSnapshot h = held.snapshot();
        if (h.instance().equals(candidate.instance())) {
            return candidate.round() > h.round() && candidate.round() - h.round() <= MAX_ROUND_STEP;
        }
        // another run of the peer: the later-started one is current; an earlier-started one can
        // only be a late answer from before a restart (once what we hold has gone stale, above,
        // it is taken: that recovers from a peer whose clock stepped back across a restart)
        return !candidate.startedAt().isBefore(h.startedAt());
    }

    static boolean reachable(Received r, Instant now, Duration staleAfter) {
        return r != null && sinceReceipt(r, now, staleAfter) < staleAfter.toMillis();
    }

    static boolean fresh(
            Received r, VantageSnapshot.TargetVote vote, Instant now, Duration staleAfter) {
        // compared without adding: a huge ageMs must not overflow into a fresh vote
        return reachable(r, now, staleAfter)
                && vote.ageMs() != null
                && vote.ageMs() >= 0
                && vote.ageMs() < staleAfter.toMillis() - sinceReceipt(r, now, staleAfter);
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

    /** Time since {@code then}, never negative, and at most a quarter of the longest long. */
    private static long saturatedMillis(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        if (d.isNegative()) {
            return 0;
        }
        return d.getSeconds() >= Long.MAX_VALUE / 4000 ? Long.MAX_VALUE / 4 : d.toMillis();
    }

    /** Time since {@code then}; never negative, even if this clock stepped back. */
    static long elapsedMillis(Instant then, Instant now) {
        return Math.max(0, Duration.between(then, now).toMillis());
    }
}
