package dev.pharos.journal;

import dev.pharos.decision.RegionState;
import dev.pharos.observation.ContentState;
import dev.pharos.observation.Health;
import dev.pharos.quorum.ContentVerdict;
import dev.pharos.quorum.QuorumStatus;
import dev.pharos.quorum.VerdictChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Events of the pipeline itself: start and stop, verdicts, quorum, warm-up, region states. */
public sealed interface PipelineEvent extends Event {

    /**
     * This vantage point started.
     *
     * @param vantagePoints this one first, then its peers
     */
    record Started(List<String> vantagePoints, String message) implements PipelineEvent {
        public Started {
            vantagePoints = List.copyOf(vantagePoints);
        }

        public static Started of(
                String node, int targets, int regions, List<String> vantagePoints) {
            return new Started(
                    vantagePoints,
                    "Pharos vantage point "
                            + node
                            + " started: "
                            + targets
                            + " targets in "
                            + regions
                            + " regions");
        }

        @Override
        public EventType type() {
            return EventType.STARTED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("vantagePoints", vantagePoints).map();
        }

        static Started read(Line l) {
            return new Started(l.data().texts("vantagePoints"), l.message());
        }
    }

    /** This vantage point stopped (a clean shutdown). */
    record Stopped(String message) implements PipelineEvent {
        public static Stopped of() {
            return new Stopped("Pharos stopped");
        }

        @Override
        public EventType type() {
            return EventType.STOPPED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Map.of();
        }

        static Stopped read(Line l) {
            return new Stopped(l.message());
        }
    }

    /**
     * The quorum's verdict on a target changed.
     *
     * @param region the target's region; a canary has none
     */
    record VerdictChanged(
            String target, Optional<String> region, VerdictEvidence verdict, String message)
            implements PipelineEvent {

        public static VerdictChanged of(
                VerdictChange c, Optional<String> region, Map<String, String> votes) {
            return new VerdictChanged(
                    c.to().targetId(),
                    region,
                    VerdictEvidence.of(c.to(), votes),
                    c.to().targetId()
                            + " "
                            + c.from().health()
                            + " -> "
                            + c.to().health()
                            + ": "
                            + c.to().reason());
        }

        @Override
        public EventType type() {
            return EventType.VERDICT_CHANGED;
        }

        @Override
        public Severity severity() {
            return verdict.health() == Health.DOWN ? Severity.WARNING : Severity.INFO;
        }

        @Override
        public Optional<String> aboutRegion() {
            return region;
        }

        @Override
        public Optional<String> aboutTarget() {
            return Optional.of(target);
        }

        @Override
        public Map<String, Object> data() {
            return verdict.data();
        }

        static VerdictChanged read(Line l) {
            return new VerdictChanged(
                    l.requireTarget(), l.region(), VerdictEvidence.read(l.data()), l.message());
        }
    }

    /** Too few vantage points are reachable: verdicts and DNS freeze. */
    record QuorumLost(int reachable, int size, List<String> missing, String message)
            implements PipelineEvent {

        public QuorumLost {
            missing = List.copyOf(missing);
        }

        public static QuorumLost of(QuorumStatus q) {
            return new QuorumLost(
                    q.reachable(),
                    q.size(),
                    q.missing(),
                    "quorum lost: "
                            + q.lostText()
                            + "; verdicts and DNS frozen (missing: "
                            + (q.missing().isEmpty() ? "none" : String.join(", ", q.missing()))
                            + ")");
        }

        @Override
        public EventType type() {
            return EventType.QUORUM_LOST;
        }

        @Override
        public Severity severity() {
            return Severity.CRITICAL;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("reachable", reachable)
                    .put("size", size)
                    .put("missing", missing)
                    .map();
        }

        static QuorumLost read(Line l) {
            return new QuorumLost(
                    l.data().integer("reachable"),
                    l.data().integer("size"),
                    l.data().texts("missing"),
                    l.message());
        }
    }

    /** Enough vantage points are reachable again. */
    record QuorumRegained(int reachable, int size, String message) implements PipelineEvent {
        public static QuorumRegained of(QuorumStatus q) {
            return new QuorumRegained(
                    q.reachable(),
                    q.size(),
                    "quorum regained: "
                            + q.reachable()
                            + " of "
                            + q.vantagePoints()
                            + " vantage points reachable");
        }

        @Override
        public EventType type() {
            return EventType.QUORUM_REGAINED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("reachable", reachable).put("size", size).map();
        }

        static QuorumRegained read(Line l) {
            return new QuorumRegained(
                    l.data().integer("reachable"), l.data().integer("size"), l.message());
        }
    }

    /** Enough rounds with quorum since start: decisions take effect from now on. */
    record WarmupDone(long round, String message) implements PipelineEvent {
        public static WarmupDone of(long round) {
            return new WarmupDone(
                    round, "warm-up done after " + round + " rounds; decisions now take effect");
        }

        @Override
        public EventType type() {
            return EventType.WARMUP_DONE;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("round", round).map();
        }

        static WarmupDone read(Line l) {
            return new WarmupDone(l.data().number("round"), l.message());
        }
    }

    /**
     * Restart catch-up (docs/QUORUM.md): the embedded DNS server, silent since start, now answers
     * from the desired state of the deciding peers ({@code ADOPTED}, {@code from} names them), or
     * from the restored state because no peer decided within {@code catch-up.timeout} ({@code
     * TIMED_OUT}).
     */
    record CatchUp(String state, List<String> from, String message) implements PipelineEvent {
        public CatchUp {
            from = List.copyOf(from);
        }

        public static CatchUp adopted(List<String> from, int records) {
            return new CatchUp(
                    "ADOPTED",
                    from,
                    "restart catch-up: serving the desired state of "
                            + String.join(", ", from)
                            + " ("
                            + records
                            + " RRsets) until this vantage point's own warm-up ends");
        }

        public static CatchUp timedOut(long waitedMs) {
            return new CatchUp(
                    "TIMED_OUT",
                    List.of(),
                    "restart catch-up: no peer decided within "
                            + waitedMs
                            + " ms; serving the state restored from disk until this vantage"
                            + " point's own warm-up ends");
        }

        @Override
        public EventType type() {
            return EventType.CATCHUP;
        }

        @Override
        public Severity severity() {
            return from.isEmpty() ? Severity.WARNING : Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("state", state).put("from", from).map();
        }

        static CatchUp read(Line l) {
            return new CatchUp(l.data().text("state"), l.data().texts("from"), l.message());
        }
    }

    /** A region's state changed; the evidence is its new state with its targets' verdicts. */
    record RegionStateChanged(String region, RegionEvidence evidence, String message)
            implements PipelineEvent {

        public static RegionStateChanged of(
                String region, RegionState before, RegionEvidence after) {
            return new RegionStateChanged(
                    region,
                    after,
                    "region "
                            + region
                            + " "
                            + before
                            + " -> "
                            + after.state()
                            + ": "
                            + after.reason());
        }

        @Override
        public EventType type() {
            return EventType.REGION_STATE_CHANGED;
        }

        @Override
        public Severity severity() {
            RegionState s = evidence.state();
            return s == RegionState.DEAD
                    ? Severity.CRITICAL
                    : s.serving() ? Severity.INFO : Severity.WARNING;
        }

        @Override
        public Optional<String> aboutRegion() {
            return Optional.of(region);
        }

        @Override
        public Map<String, Object> data() {
            return evidence.data();
        }

        static RegionStateChanged read(Line l) {
            return new RegionStateChanged(
                    l.requireRegion(), RegionEvidence.read(l.data()), l.message());
        }
    }

    /**
     * A region's content state changed, as a quorum of vantage points sees it (docs/CONTENT.md).
     *
     * @param votes every counted vantage point's vote, "vp1: stale"
     */
    record ContentStateChanged(
            String region,
            ContentState from,
            ContentState to,
            String reason,
            Optional<Instant> syncedAt,
            Optional<String> version,
            List<String> votes,
            String message)
            implements PipelineEvent {

        public ContentStateChanged {
            votes = List.copyOf(votes);
        }

        public static ContentStateChanged of(ContentVerdict before, ContentVerdict after) {
            List<String> votes = new ArrayList<>();
            after.votes().forEach((vp, v) -> votes.add(vp + ": " + v.state().label()));
            return new ContentStateChanged(
                    after.region(),
                    before.state(),
                    after.state(),
                    after.reason(),
                    Optional.ofNullable(after.syncedAt()),
                    Optional.ofNullable(after.version()),
                    votes,
                    "region "
                            + after.region()
                            + " content "
                            + before.state()
                            + " -> "
                            + after.state()
                            + ": "
                            + after.reason());
        }

        @Override
        public EventType type() {
            return EventType.CONTENT_STATE_CHANGED;
        }

        @Override
        public Severity severity() {
            return to == ContentState.STALE ? Severity.WARNING : Severity.INFO;
        }

        @Override
        public Optional<String> aboutRegion() {
            return Optional.of(region);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("from", from.name())
                    .put("to", to.name())
                    .put("reason", reason)
                    .putPresent("syncedAt", syncedAt.map(Instant::toString))
                    .putPresent("version", version)
                    .put("votes", votes)
                    .map();
        }

        static ContentStateChanged read(Line l) {
            Fields d = l.data();
            return new ContentStateChanged(
                    l.requireRegion(),
                    d.constant("from", ContentState.class),
                    d.constant("to", ContentState.class),
                    d.text("reason"),
                    d.optionalInstant("syncedAt"),
                    d.optionalText("version"),
                    d.texts("votes"),
                    l.message());
        }
    }

    /**
     * The number of vantage points writing to the external actuators went wrong: two or more, or
     * none while one is expected.
     *
     * @param writers the vantage points that announce they write
     */
    record WritersWrong(List<String> writers, boolean expected, String message)
            implements PipelineEvent {
        public WritersWrong {
            writers = List.copyOf(writers);
        }

        public static WritersWrong of(List<String> writers, boolean expected, String problem) {
            return new WritersWrong(writers, expected, problem);
        }

        @Override
        public EventType type() {
            return EventType.WRITERS_WRONG;
        }

        @Override
        public Severity severity() {
            return Severity.CRITICAL;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("writers", writers).put("expected", expected).map();
        }

        static WritersWrong read(Line l) {
            return new WritersWrong(
                    l.data().texts("writers"), l.data().flag("expected"), l.message());
        }
    }

    /** The number of writers is right again. */
    record WritersOk(List<String> writers, String message) implements PipelineEvent {
        public WritersOk {
            writers = List.copyOf(writers);
        }

        public static WritersOk of(List<String> writers) {
            return new WritersOk(
                    writers,
                    writers.isEmpty()
                            ? "no vantage point writes to the external actuators, as expected"
                            : "one vantage point writes to the external actuators: "
                                    + writers.get(0));
        }

        @Override
        public EventType type() {
            return EventType.WRITERS_OK;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("writers", writers).map();
        }

        static WritersOk read(Line l) {
            return new WritersOk(l.data().texts("writers"), l.message());
        }
    }
}
