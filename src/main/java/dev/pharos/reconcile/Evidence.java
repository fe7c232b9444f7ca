package dev.pharos.reconcile;

import dev.pharos.quorum.Verdict;
import java.util.Map;
import java.util.function.Function;

/**
 * One evaluation's verdicts and who voted what on each: the evidence its events carry.
 *
 * @param ballots by target id, as {@link dev.pharos.quorum.Ballots#of} counts them
 */
record Evidence(Map<String, Verdict> verdicts, Function<String, Map<String, String>> ballots) {

    Map<String, String> ballotsOf(String targetId) {
        return ballots.apply(targetId);
    }
}
