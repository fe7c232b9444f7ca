package dev.pharos.quorum;

import dev.pharos.observation.VantageView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Who voted what on a target in an evaluation: the evidence the journal keeps with a decision. */
public final class Ballots {
    private Ballots() {}

    /**
     * Vantage point to vote, as the quorum counted it: "UP", "DOWN", "UNKNOWN", or the vote with "
     * (stale)" or " (abstaining)" when it was not counted.
     */
    public static Map<String, String> of(
            String targetId, List<VantageView> views, boolean alertDown) {
        Map<String, String> out = new LinkedHashMap<>();
        for (VoterInput v : VerdictBoard.inputs(targetId, views, alertDown)) {
            String vote = v.vote().name();
            out.put(
                    v.voter(),
                    !v.fresh()
                            ? vote + " (stale)"
                            : v.abstaining() ? vote + " (abstaining)" : vote);
        }
        return out;
    }
}
