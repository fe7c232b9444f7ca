package dev.pharos.bench.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/** Turns the querier's record of one trial into a {@link Result} per measured system. */
final class Analysis {
    private final Querier querier;
    private final int full;

    Analysis(Querier querier, int full) {
        this.querier = querier;
        this.full = full;
    }

    List<Result> judge(Trial t, List<DnsSystem> systems) {
        List<Result> out = new ArrayList<>();
        for (DnsSystem s : systems) {
            if (t.measured().contains(s.id())) {
                out.add(judge(t, s));
            }
        }
        return out;
    }

    Result judge(Trial t, DnsSystem s) {
        return switch (t.scenario().kind) {
            case REGION_DEAD, RESTART -> regionDead(t, s);
            case STEADY -> steady(t, s);
            case ALL_DEAD -> allDead(t, s);
        };
    }

    private Result regionDead(Trial t, DnsSystem s) {
        double detect = 0;
        double recover = 0;
        int wrong = 0;
        int falseChanges = 0;
        int changes = 0;
        double noAnswer = 0;
        IntPredicate hasDead = a -> a > Querier.EMPTY && !disjoint(a, t.dead());
        for (String server : s.servers()) {
            View v = view(server);
            double d =
                    v.first(t.fault(), t.revive(), a -> a > Querier.EMPTY && disjoint(a, t.dead()));
            double r = v.first(t.revive(), t.end(), a -> a == full);
            detect = Math.max(detect, d - t.fault()); // NaN wins: one server never dropped it
            recover = Math.max(recover, r - t.revive());
            falseChanges +=
                    v.changes(t.start(), t.fault(), NONE)
                            + v.changes(t.fault(), t.revive(), (a, b) -> drops(a, b, t.dead()))
                            + v.changes(t.revive(), t.end(), this::adds);
            wrong += v.count(t.start(), t.end(), a -> a == Querier.ERROR || a == Querier.EMPTY);
            if (!Double.isNaN(d)) {
                wrong += v.count(d, t.revive(), hasDead);
            }
            if (t.scenario() == Scenario.RESTART && server.equals(s.restarted())) {
                changes = v.changes(t.restart(), t.revive(), NONE);
                noAnswer =
                        v.count(t.restart(), t.revive(), a -> a == Querier.NO_ANSWER)
                                * (double) Querier.PERIOD_MS;
            } else if (t.scenario() != Scenario.RESTART) {
                noAnswer +=
                        v.count(t.start(), t.end(), a -> a == Querier.NO_ANSWER)
                                * (double) Querier.PERIOD_MS;
            }
        }
        return new Result(t, s, detect, recover, wrong, falseChanges, changes, noAnswer, null);
    }

    private Result steady(Trial t, DnsSystem s) {
        int wrong = 0;
        int falseChanges = 0;
        int changes = 0;
        double noAnswer = 0;
        for (String server : s.servers()) {
            View v = view(server);
            falseChanges += v.changes(t.start(), t.end(), NONE);
            changes += v.changes(t.fault(), t.revive(), NONE);
            wrong += v.count(t.start(), t.end(), a -> a != Querier.NO_ANSWER && a != full);
            noAnswer +=
                    v.count(t.start(), t.end(), a -> a == Querier.NO_ANSWER)
                            * (double) Querier.PERIOD_MS;
        }
        return new Result(
                t, s, Double.NaN, Double.NaN, wrong, falseChanges, changes, noAnswer, null);
    }

    private Result allDead(Trial t, DnsSystem s) {
        int wrong = 0;
        int falseChanges = 0;
        int changes = 0;
        double noAnswer = 0;
        double recover = Double.NaN;
        Set<String> ends = new TreeSet<>();
        for (String server : s.servers()) {
            View v = view(server);
            int last = v.lastReal(t.revive());
            ends.add(last == full ? "all three" : last < 0 ? "?" : querier.text(last));
            // during a total outage every change is pointless, but not false: it gets a column
            changes += v.changes(t.fault(), t.revive(), NONE);
            // after the revival an answer only grows, except when it leaves the fail-open
            // answer (every address, served because every region was dead): a system that fails
            // open serves the regions confirmed alive first, then the others as they are
            falseChanges +=
                    v.changes(t.start(), t.fault(), NONE)
                            + v.changes(
                                    t.revive(),
                                    t.end(),
                                    (a, b) -> adds(a, b) || (a == full && b > Querier.EMPTY));
            wrong += v.count(t.start(), t.end(), a -> a == Querier.ERROR || a == Querier.EMPTY);
            noAnswer +=
                    v.count(t.start(), t.end(), a -> a == Querier.NO_ANSWER)
                            * (double) Querier.PERIOD_MS;
            if (last != full) {
                double r = v.first(t.revive(), t.end(), a -> a == full) - t.revive();
                recover = Double.isNaN(recover) ? r : Math.max(recover, r);
            }
        }
        return new Result(
                t,
                s,
                Double.NaN,
                recover,
                wrong,
                falseChanges,
                changes,
                noAnswer,
                String.join(" / ", ends));
    }

    private static final BiIntPredicate NONE = (a, b) -> false;

    /** A change that only takes dead addresses out: what a fault calls for. */
    private boolean drops(int from, int to, Set<String> dead) {
        if (to <= Querier.EMPTY) {
            return false;
        }
        Set<String> before = querier.addresses(from);
        Set<String> after = querier.addresses(to);
        return before.containsAll(after)
                && before.stream().filter(x -> !after.contains(x)).allMatch(dead::contains);
    }

    /** A change that only puts addresses back: what a revival calls for. */
    private boolean adds(int from, int to) {
        return to > Querier.EMPTY && querier.addresses(to).containsAll(querier.addresses(from));
    }

    /** Whether a change from one answer to another is called for. */
    @FunctionalInterface
    private interface BiIntPredicate {
        boolean test(int from, int to);
    }

    private boolean disjoint(int answer, Set<String> dead) {
        return querier.addresses(answer).stream().noneMatch(dead::contains);
    }

    private View view(String server) {
        return new View(querier.polls(server));
    }

    /** One server's answers, with the questions the analysis asks of a window of them. */
    private record View(Querier.Polls p) {
        /** Time of the first answer in [from, to) that satisfies ok, or NaN. */
        double first(double from, double to, IntPredicate ok) {
            for (int i = p.indexAt(from); i < p.size() && p.times()[i] < to; i++) {
                if (ok.test(p.answers()[i])) {
                    return p.times()[i];
                }
            }
            return Double.NaN;
        }

        int count(double from, double to, IntPredicate ok) {
            int n = 0;
            for (int i = p.indexAt(from); i < p.size() && p.times()[i] < to; i++) {
                if (ok.test(p.answers()[i])) {
                    n++;
                }
            }
            return n;
        }

        /** The last answer before {@code t} that was not a timeout, or -1. */
        int lastReal(double t) {
            for (int i = p.indexAt(t) - 1; i >= 0; i--) {
                if (p.answers()[i] != Querier.NO_ANSWER) {
                    return p.answers()[i];
                }
            }
            return -1;
        }

        /**
         * Changes of answer in [from, to) that {@code called} does not call for; timeouts are not
         * answers and change nothing.
         */
        int changes(double from, double to, BiIntPredicate called) {
            int prev = lastReal(from);
            int n = 0;
            for (int i = p.indexAt(from); i < p.size() && p.times()[i] < to; i++) {
                int a = p.answers()[i];
                if (a == Querier.NO_ANSWER) {
                    continue;
                }
                if (prev >= 0 && a != prev && !called.test(prev, a)) {
                    n++;
                }
                prev = a;
            }
            return n;
        }
    }
}
