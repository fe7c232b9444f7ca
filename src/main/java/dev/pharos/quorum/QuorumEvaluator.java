package dev.pharos.quorum;

import java.time.Instant;
import java.util.List;

/**
 * Verdicts from votes (DESIGN 4.3), as a pure function: DOWN when at least {@code quorum} fresh,
 * counted votes say DOWN; UP when at least {@code quorum} say UP; otherwise the previous verdict
 * stands. With a quorum that is a majority of all configured vantage points, UP and DOWN can never
 * both qualify, and a vantage point cut off from its peers can never decide alone.
 */
public final class QuorumEvaluator {
    private QuorumEvaluator() {}

    public static Verdict evaluate(
            String targetId,
            List<VoterInput> voters,
            int quorum,
            int fall,
            Verdict previous,
            Instant now) {
        int up = 0;
        int down = 0;
        int counted = 0;
        int stale = 0;
        int abstaining = 0;
        for (VoterInput v : voters) {
            if (!v.fresh()) {
                stale++;
                continue;
            }
            if (v.abstaining()) {
                abstaining++;
                continue;
            }
            counted++;
            if (v.vote() == Health.UP) {
                up++;
            } else if (v.vote() == Health.DOWN) {
                down++;
            }
        }
        int total = voters.size();
        Health health;
        String reason;
        if (down >= quorum && down > up) {
            health = Health.DOWN;
            reason = "DOWN: " + down + " of " + total + " vantage points, fall=" + fall;
        } else if (up >= quorum && up > down) {
            health = Health.UP;
            reason = "UP: " + up + " of " + total + " vantage points";
        } else {
            health = previous.health();
            StringBuilder why = new StringBuilder();
            why.append(
                    previous.health() == Health.UNKNOWN ? "UNKNOWN" : "kept " + previous.health());
            why.append(": no quorum of ").append(quorum).append(" (");
            why.append(up).append(" up, ").append(down).append(" down");
            if (stale > 0) {
                why.append(", ").append(stale).append(" stale");
            }
            if (abstaining > 0) {
                why.append(", ").append(abstaining).append(" abstaining");
            }
            int unknown = counted - up - down;
            if (unknown > 0) {
                why.append(", ").append(unknown).append(" unknown");
            }
            reason = why.append(")").toString();
        }
        Instant since = health == previous.health() ? previous.since() : now;
        return new Verdict(targetId, health, since, up, down, counted, quorum, reason);
    }
}
