package dev.pharos.observation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pharos.domain.RecordSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one vantage point tells its peers, pulled ({@code GET /api/v1/observations}) or pushed
 * ({@code POST}): who it is, which run of it, and its current vote on every target with a summary
 * of the latest observation behind it.
 *
 * <p>Freshness never depends on the two machines' clocks agreeing: each vote carries its age at the
 * sender ({@code ageMs}), and the receiver adds the time since it received the snapshot, by its own
 * clock.
 *
 * @param vantage the sender's node name
 * @param instance random per process start, so a restarted sender's new, lower {@link #round} is
 *     not mistaken for old data
 * @param startedAt when the sender's process started, by its clock: orders two instances of it
 * @param round increases with every snapshot this instance produces (monotonic per instance)
 * @param now the sender's clock when it produced the snapshot; shown, never used for freshness
 * @param abstaining the sender fails its own canaries; its votes are not counted
 * @param targets by target id
 * @param actions every operator action the sender holds (see {@link ActionSet}); absent from a
 *     sender that predates them
 * @param actuates the sender writes to the external actuators now; null from a version that does
 *     not say (it counts as not writing)
 * @param writer the sender's writer term while it holds the writer's lease (coordination by etcd);
 *     null otherwise
 * @param content the sender's content votes by region (docs/CONTENT.md); absent from a sender that
 *     predates them or checks no content
 * @param geoDatabase the location database the sender answers geo records from (docs/GEO.md);
 *     absent from a sender without one or that predates them
 * @param decided the sender's current desired records, present only while it decides itself (warmed
 *     up, with quorum): what a restarted peer serves until its own warm-up ends (docs/QUORUM.md,
 *     "Restart catch-up")
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VantageSnapshot(
        String vantage,
        String instance,
        Instant startedAt,
        long round,
        Instant now,
        boolean abstaining,
        Map<String, TargetVote> targets,
        Boolean actuates,
        Long writer,
        List<OperatorAction> actions,
        Map<String, ContentVote> content,
        GeoDatabase geoDatabase,
        Decided decided) {

    /**
     * A snapshot without a location database and without a decided state (a sender that predates
     * them, has no database, or does not decide now).
     */
    public VantageSnapshot(
            String vantage,
            String instance,
            Instant startedAt,
            long round,
            Instant now,
            boolean abstaining,
            Map<String, TargetVote> targets,
            Boolean actuates,
            Long writer,
            List<OperatorAction> actions,
            Map<String, ContentVote> content) {
        this(
                vantage,
                instance,
                startedAt,
                round,
                now,
                abstaining,
                targets,
                actuates,
                writer,
                actions,
                content,
                null,
                null);
    }

    /**
     * A location database: its build date and the SHA-256 of its file (64 lower-case hex digits).
     */
    public record GeoDatabase(Instant built, String sha256) {}

    /** A snapshot without content votes (a sender that predates them). */
    public VantageSnapshot(
            String vantage,
            String instance,
            Instant startedAt,
            long round,
            Instant now,
            boolean abstaining,
            Map<String, TargetVote> targets,
            Boolean actuates,
            Long writer,
            List<OperatorAction> actions) {
        this(
                vantage,
                instance,
                startedAt,
                round,
                now,
                abstaining,
                targets,
                actuates,
                writer,
                actions,
                null);
    }

    /** A snapshot without operator actions and saying nothing about writing (older versions). */
    public VantageSnapshot(
            String vantage,
            String instance,
            Instant startedAt,
            long round,
            Instant now,
            boolean abstaining,
            Map<String, TargetVote> targets) {
        this(vantage, instance, startedAt, round, now, abstaining, targets, null, null, null);
    }

    /** The content votes, empty when the sender sent none. */
    public Map<String, ContentVote> contentOrEmpty() {
        return content == null ? Map.of() : content;
    }

    /** The actions, empty when the sender sent none. */
    public List<OperatorAction> actionsOrEmpty() {
        return actions == null ? List.of() : actions;
    }

    /** Whether the sender says that it writes to the external actuators. */
    public boolean writes() {
        return Boolean.TRUE.equals(actuates);
    }

    /**
     * The desired records of a sender that decides now.
     *
     * @param ageMs how long ago, at the sender, its desired records took their current value (the
     *     receiver adds the time since receipt, so clocks need not agree)
     * @param records every managed RRset it wants published
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Decided(Long ageMs, List<RecordSet> records) {
        /** The most RRsets a snapshot may carry. */
        public static final int MAX_RECORDS = 10_000;
    }

    /**
     * One vote.
     *
     * @param since when the vote took its current value, by the sender's clock
     * @param ageMs age of the latest probe result at the sender; null before the first result
     * @param last the latest observation, or null before the first
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetVote(Health vote, Instant since, Long ageMs, Summary last) {}

    /**
     * The latest observation in short: enough for an operator to see why a peer votes as it does.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(boolean success, String reason, String detail, Double totalMs) {}
}
