package dev.pharos.journal;

import dev.pharos.observation.Health;
import dev.pharos.quorum.Verdict;
import java.util.Map;

/**
 * A verdict as the journal keeps it: the counts and reason, and who voted what.
 *
 * @param votes voter to vote as the quorum counted it ("DOWN", "UP (stale)", ...); left out of the
 *     line when empty
 */
public record VerdictEvidence(
        Map<String, String> votes,
        Health health,
        int up,
        int down,
        int counted,
        int quorum,
        String reason) {

    public VerdictEvidence {
        votes = Data.ordered(votes);
    }

    public static VerdictEvidence of(Verdict v, Map<String, String> votes) {
        return new VerdictEvidence(
                votes, v.health(), v.up(), v.down(), v.counted(), v.quorum(), v.reason());
    }

    Map<String, Object> data() {
        return Data.of()
                .putNonEmpty("votes", votes)
                .put("health", health.name())
                .put("up", up)
                .put("down", down)
                .put("counted", counted)
                .put("quorum", quorum)
                .put("reason", reason)
                .map();
    }

    static VerdictEvidence read(Fields f) {
        return new VerdictEvidence(
                f.textMapOrEmpty("votes"),
                f.constant("health", Health.class),
                f.integer("up"),
                f.integer("down"),
                f.integer("counted"),
                f.integer("quorum"),
                f.text("reason"));
    }
}
