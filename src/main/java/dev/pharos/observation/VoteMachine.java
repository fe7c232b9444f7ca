package dev.pharos.observation;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The per-vantage vote: rise/fall hysteresis as an explicit transition table.
 *
 * <p>Leaving UNKNOWN for UP takes one success: there is no earlier opinion to flap from, and a
 * restarted vantage point should agree with its peers quickly. Reaching DOWN always takes {@code
 * fall} consecutive failures, from any state, so one lost packet never votes a target down; DOWN
 * back to UP takes {@code rise} consecutive successes.
 */
public final class VoteMachine {
    private VoteMachine() {}

    private enum Outcome {
        SUCCESS,
        FAILURE
    }

    private record Key(Health from, Outcome outcome) {}

    /** Move to {@code to} once the streak reaches the threshold; {@code to == null}: stay. */
    private record Rule(Threshold threshold, Health to) {}

    private interface Threshold {
        int of(int rise, int fall);
    }

    private static final Threshold ONE = (rise, fall) -> 1;
    private static final Threshold RISE = (rise, fall) -> rise;
    private static final Threshold FALL = (rise, fall) -> fall;

    private static final Map<Key, Rule> TABLE =
            Map.of(
                    new Key(Health.UNKNOWN, Outcome.SUCCESS), new Rule(ONE, Health.UP),
                    new Key(Health.UNKNOWN, Outcome.FAILURE), new Rule(FALL, Health.DOWN),
                    new Key(Health.UP, Outcome.SUCCESS), new Rule(ONE, null),
                    new Key(Health.UP, Outcome.FAILURE), new Rule(FALL, Health.DOWN),
                    new Key(Health.DOWN, Outcome.SUCCESS), new Rule(RISE, Health.UP),
                    new Key(Health.DOWN, Outcome.FAILURE), new Rule(ONE, null));

    /** Legal changes of the vote; anything else is a bug and throws. */
    static final Set<String> LEGAL = Set.of("UNKNOWN->UP", "UNKNOWN->DOWN", "UP->DOWN", "DOWN->UP");

    /** The state after one more probe result. */
    public static VoteState next(VoteState state, boolean success, int rise, int fall, Instant at) {
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be at least 1");
        }
        Outcome outcome = success ? Outcome.SUCCESS : Outcome.FAILURE;
        int streak = state.streak() > 0 && state.lastSuccess() == success ? state.streak() + 1 : 1;
        Rule rule = TABLE.get(new Key(state.vote(), outcome));
        Health vote = state.vote();
        Instant since = state.since();
        if (rule.to() != null && streak >= rule.threshold().of(rise, fall)) {
            String transition = vote + "->" + rule.to();
            if (!LEGAL.contains(transition)) {
                throw new IllegalStateException("illegal vote transition " + transition);
            }
            vote = rule.to();
            since = at;
        }
        return new VoteState(vote, streak, success, since, Optional.of(at));
    }
}
