package dev.pharos.quorum;

import dev.pharos.observation.ContentState;
import dev.pharos.observation.ContentVote;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Content verdicts from every vantage point's content votes, as a pure function: a state holds only
 * when at least the quorum size of vantage points vote for it, as for any verdict. UNKNOWN votes
 * are not counted; with fewer than the quorum size of known votes the region is UNKNOWN.
 *
 * <p>In order: STALE when a quorum votes STALE; SYNCING when a quorum votes SYNCING; LAGGING when a
 * quorum votes LAGGING or STALE; FRESH otherwise. So one vantage point that sees stale content
 * (through a broken cache on its path, say) changes nothing.
 */
public final class ContentQuorum {
    private ContentQuorum() {}

    /**
     * @param votes by vantage point (this one included), then by region: only countable votes
     * @param regions the checked regions
     * @param previous the previous verdicts, to carry {@code since} over
     */
    public static Map<String, ContentVerdict> evaluate(
            Map<String, Map<String, ContentVote>> votes,
            List<String> regions,
            int quorumSize,
            Map<String, ContentVerdict> previous,
            Instant now) {
        Map<String, ContentVerdict> out = new LinkedHashMap<>();
        for (String region : regions) {
            Map<String, ContentVote> ballots = new TreeMap<>();
            votes.forEach(
                    (vantage, byRegion) -> {
                        ContentVote v = byRegion.get(region);
                        if (v != null) {
                            ballots.put(vantage, v);
                        }
                    });
            ContentVerdict v = verdict(region, ballots, quorumSize);
            ContentVerdict before = previous.get(region);
            Instant since = before != null && before.state() == v.state() ? before.since() : now;
            out.put(
                    region,
                    new ContentVerdict(
                            region,
                            v.state(),
                            v.reason(),
                            since,
                            v.syncedAt(),
                            v.version(),
                            Map.copyOf(ballots)));
        }
        return out;
    }

    private static ContentVerdict verdict(
            String region, Map<String, ContentVote> ballots, int quorumSize) {
        long known = count(ballots, EnumSet.complementOf(EnumSet.of(ContentState.UNKNOWN)));
        ContentState state;
        Set<ContentState> agreeing;
        if (known < quorumSize) {
            state = ContentState.UNKNOWN;
            agreeing = EnumSet.of(ContentState.UNKNOWN);
        } else if (count(ballots, EnumSet.of(ContentState.STALE)) >= quorumSize) {
            state = ContentState.STALE;
            agreeing = EnumSet.of(ContentState.STALE);
        } else if (count(ballots, EnumSet.of(ContentState.SYNCING)) >= quorumSize) {
            state = ContentState.SYNCING;
            agreeing = EnumSet.of(ContentState.SYNCING);
        } else if (count(ballots, EnumSet.of(ContentState.LAGGING, ContentState.STALE))
                >= quorumSize) {
            state = ContentState.LAGGING;
            agreeing = EnumSet.of(ContentState.LAGGING, ContentState.STALE);
        } else {
            state = ContentState.FRESH;
            agreeing = EnumSet.complementOf(EnumSet.of(ContentState.UNKNOWN));
        }
        List<Map.Entry<String, ContentVote>> forIt =
                ballots.entrySet().stream()
                        .filter(e -> agreeing.contains(e.getValue().state()))
                        .toList();
        String reason;
        if (state == ContentState.UNKNOWN) {
            reason =
                    known
                            + " of "
                            + quorumSize
                            + " needed vantage points know the content"
                            + ballots.entrySet().stream()
                                    .filter(e -> e.getValue().detail() != null)
                                    .findFirst()
                                    .map(
                                            e ->
                                                    " ("
                                                            + e.getKey()
                                                            + ": "
                                                            + e.getValue().detail()
                                                            + ")")
                                    .orElse("");
        } else {
            reason =
                    forIt.size()
                            + " of "
                            + ballots.size()
                            + " vantage points: "
                            + forIt.stream()
                                    .filter(e -> e.getValue().state() == state)
                                    .findFirst()
                                    .or(() -> forIt.stream().findFirst())
                                    .map(e -> e.getKey() + ": " + e.getValue().detail())
                                    .orElse("");
        }
        Instant syncedAt =
                forIt.stream()
                        .map(e -> e.getValue().syncedAt())
                        .filter(t -> t != null)
                        .max(Comparator.naturalOrder())
                        .orElse(null);
        String version = majority(forIt.stream().map(e -> e.getValue().version()).toList());
        return new ContentVerdict(region, state, reason, null, syncedAt, version, ballots);
    }

    private static long count(Map<String, ContentVote> ballots, Set<ContentState> states) {
        return ballots.values().stream().filter(v -> states.contains(v.state())).count();
    }

    private static String majority(List<String> versions) {
        Map<String, Long> counts =
                versions.stream()
                        .filter(v -> v != null)
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        Optional<Map.Entry<String, Long>> top =
                counts.entrySet().stream()
                        .max(
                                Map.Entry.<String, Long>comparingByValue()
                                        .thenComparing(
                                                Map.Entry.comparingByKey(
                                                        Comparator.reverseOrder())));
        return top.map(Map.Entry::getKey).orElse(null);
    }
}
