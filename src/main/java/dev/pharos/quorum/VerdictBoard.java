package dev.pharos.quorum;

import dev.pharos.config.QuorumSettings;
import dev.pharos.config.Target;
import dev.pharos.domain.Voters;
import dev.pharos.observation.Health;
import dev.pharos.observation.VantageView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The current verdicts, the quorum's status and warm-up, advanced one evaluation at a time. Not
 * thread-safe: the pipeline drives it from one thread.
 *
 * <ul>
 *   <li>Quorum lost (fewer reachable vantage points that do not abstain than the quorum size):
 *       verdicts freeze.
 *   <li>Warm-up: done once {@code warmup-rounds} consecutive rounds had quorum; until then the
 *       verdicts are computed and shown, but nothing downstream may act on them.
 * </ul>
 */
public final class VerdictBoard {
    /** The outcome of one evaluation. */
    public record Evaluation(
            Map<String, Verdict> verdicts,
            List<VerdictChange> changes,
            QuorumStatus quorum,
            boolean quorumChanged,
            boolean warm,
            int roundsWithQuorum) {}

    private final QuorumSettings settings;
    private final List<Target> targets;
    private final Map<String, Verdict> verdicts = new LinkedHashMap<>();
    private QuorumStatus quorum;
    private int roundsWithQuorum;
    private boolean warm;

    public VerdictBoard(
            QuorumSettings settings,
            List<Target> targets,
            Map<String, Verdict> restored,
            Instant now) {
        this.settings = settings;
        this.targets = List.copyOf(targets);
        for (Target t : targets) {
            verdicts.put(
                    t.id(),
                    restored.getOrDefault(t.id(), Verdict.unknown(t.id(), now, settings.size())));
        }
        this.quorum =
                new QuorumStatus(
                        false,
                        0,
                        settings.size(),
                        settings.vantagePoints().size(),
                        settings.vantagePoints(),
                        now);
        this.warm = settings.warmupRounds() == 0;
    }

    /**
     * @param round true when this evaluation ends a round (the periodic tick), false when it was
     *     triggered early by a vote change
     */
    public Evaluation evaluate(List<VantageView> views, boolean round, Instant now) {
        return evaluate(views, Set.of(), round, now);
    }

    /**
     * @param alertDown targets that an inbound alert counted as a vote says are DOWN: each gets one
     *     more voter, {@link Voters#ALERTMANAGER}; it does not count towards quorum held
     * @param round true when this evaluation ends a round (the periodic tick), false when it was
     *     triggered early by a vote change
     */
    public Evaluation evaluate(
            List<VantageView> views, Set<String> alertDown, boolean round, Instant now) {
        int reachable = 0;
        List<String> missing = new ArrayList<>();
        List<String> abstaining = new ArrayList<>();
        for (VantageView v : views) {
            if (v.reachable()) {
                reachable++;
                if (v.abstaining()) {
                    abstaining.add(v.vantage());
                }
            } else {
                missing.add(v.vantage());
            }
        }
        // an abstaining vantage point is reachable but cannot vote: if too many abstain, no
        // verdict could change, and quorum must not read as held
        boolean held = reachable - abstaining.size() >= settings.size();
        boolean quorumChanged = held != quorum.held();
        quorum =
                new QuorumStatus(
                        held,
                        reachable,
                        settings.size(),
                        views.size(),
                        missing,
                        abstaining,
                        quorumChanged ? now : quorum.since());
        if (round) {
            roundsWithQuorum = held ? roundsWithQuorum + 1 : 0;
            if (!warm && roundsWithQuorum >= settings.warmupRounds()) {
                warm = true;
            }
        }
        List<VerdictChange> changes = new ArrayList<>();
        if (held) {
            for (Target t : targets) {
                Verdict before = verdicts.get(t.id());
                Verdict after =
                        QuorumEvaluator.evaluate(
                                t.id(),
                                inputs(t.id(), views, alertDown.contains(t.id())),
                                settings.size(),
                                t.probe().fall(),
                                before,
                                now);
                verdicts.put(t.id(), after);
                if (after.health() != before.health()) {
                    changes.add(new VerdictChange(before, after));
                }
            }
        }
        return new Evaluation(verdicts(), changes, quorum, quorumChanged, warm, roundsWithQuorum);
    }

    static List<VoterInput> inputs(String targetId, List<VantageView> views, boolean alertDown) {
        List<VoterInput> out = new ArrayList<>(views.size() + 1);
        for (VantageView v : views) {
            VantageView.VoteView vote = v.votes().get(targetId);
            boolean fresh = v.reachable() && vote != null && vote.fresh();
            out.add(
                    new VoterInput(
                            v.vantage(),
                            vote == null ? Health.UNKNOWN : vote.vote(),
                            fresh,
                            v.abstaining()));
        }
        if (alertDown) {
            out.add(new VoterInput(Voters.ALERTMANAGER, Health.DOWN, true, false));
        }
        return out;
    }

    /** In target order. */
    public Map<String, Verdict> verdicts() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(verdicts));
    }

    public boolean warm() {
        return warm;
    }
}
