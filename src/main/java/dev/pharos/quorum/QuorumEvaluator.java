package dev.pharos.quorum;

import dev.pharos.domain.Voters;
import dev.pharos.observation.Health;
import java.time.Instant;
import java.util.List;

/**
 * Verdicts from votes (DESIGN 4.3), as a pure function: DOWN when at least {@code quorum} fresh,
 * counted votes say DOWN; UP when at least {@code quorum} say UP; otherwise the previous verdict
 * stands. With a quorum that is a majority of all configured vantage points, UP and DOWN can never
 * both qualify, and a vantage point cut off from its peers can never decide alone.
 *
 * <p>An inbound alert counted as a vote (voter {@link Voters#ALERTMANAGER}) adds one DOWN vote, but
 * only next to at least one vantage point's own DOWN vote: with 3 vantage points it lets 1 vantage
 * point and the alert reach 2 of 3 when the others do not say UP, and it can never make a verdict
 * alone. UP is decided by vantage points only.
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
        int alertVoters = 0;
        boolean alertDown = false;
        for (VoterInput v : voters) {
            if (Voters.ALERTMANAGER.equals(v.voter())) {
                alertVoters++;
                alertDown |= v.fresh() && v.vote() == Health.DOWN;
                continue;
            }
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
        int total = voters.size() - alertVoters;
        int vantageDown = down;
        boolean alertCounts = alertDown && vantageDown > 0;
        if (alertCounts) {
            down++;
        }
        Health health;
        String reason;
        if (down >= quorum && down > up) {
            health = Health.DOWN;
            reason =
                    "DOWN: "
                            + vantageDown
                            + " of "
                            + total
                            + " vantage points"
                            + (alertCounts ? " + an inbound alert" : "")
                            + ", fall="
                            + fall;
        } else if (up >= quorum && up > vantageDown) {
            health = Health.UP;
            reason = "UP: " + up + " of " + total + " vantage points";
        } else {
            health = previous.health();
            StringBuilder why = new StringBuilder();
            why.append(
                    previous.health() == Health.UNKNOWN ? "UNKNOWN" : "kept " + previous.health());
            why.append(": no quorum of ").append(quorum).append(" (");
            why.append(up).append(" up, ").append(vantageDown).append(" down");
            if (stale > 0) {
                why.append(", ").append(stale).append(" stale");
            }
            if (abstaining > 0) {
                why.append(", ").append(abstaining).append(" abstaining");
            }
            int unknown = counted - up - vantageDown;
            if (unknown > 0) {
                why.append(", ").append(unknown).append(" unknown");
            }
            if (alertDown) {
                why.append(
                        alertCounts
                                ? ", an inbound alert"
                                : ", an inbound alert not counted alone");
            }
            reason = why.append(")").toString();
        }
        Instant since = health == previous.health() ? previous.since() : now;
        return new Verdict(targetId, health, since, up, down, counted, quorum, reason);
    }
}
