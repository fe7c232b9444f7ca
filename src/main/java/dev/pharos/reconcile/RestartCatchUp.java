package dev.pharos.reconcile;

import dev.pharos.config.DnsSettings;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordSet;
import dev.pharos.observation.PeerObservations.Deciding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Restart catch-up, pure over the times it is given (docs/QUORUM.md, "Restart catch-up"). A
 * restarted instance with peers keeps its embedded DNS server silent ({@link State#SILENT}) until
 * it can answer from something the cluster decides now: the desired records of the peers that
 * decide ({@link State#ADOPTED}, followed while warming up), or its own decisions once its warm-up
 * ends ({@link State#OWN}). When no peer decides within {@code timeout} of start it serves the
 * state restored from disk ({@link State#TIMED_OUT}) until either comes.
 *
 * <p>The rule when deciding peers differ: the records held by the most of them; a tie goes to the
 * records that changed most recently (the smallest age, clock-independent: each age is the sender's
 * plus the time since receipt), then to the peer first in configuration order.
 */
public final class RestartCatchUp {
    /** Where the embedded server's answers come from. */
    public enum State {
        /** Catch-up does not apply (no peers, not the embedded server, or switched off). */
        OFF,
        /** Since start: answers nothing until one of the others applies. */
        SILENT,
        /** Answers from the deciding peers' records. */
        ADOPTED,
        /** No peer decided in time: answers from the restored state. */
        TIMED_OUT,
        /** Warm-up done: its own decisions. */
        OWN;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The records to serve and the peers that hold them, in configuration order. */
    record Choice(List<RecordSet> records, List<String> from) {}

    /**
     * Where catch-up stands.
     *
     * @param from while ADOPTED: the peers whose records are served
     * @param since when this state began
     */
    public record Status(State state, List<String> from, Instant since) {
        public Status {
            from = List.copyOf(from);
        }

        /** In words, for readiness and the status API. */
        public String text() {
            return switch (state) {
                case OFF -> "off";
                case SILENT -> "silent: waiting for a deciding peer's desired state";
                case ADOPTED -> "serving the desired state of " + String.join(", ", from);
                case TIMED_OUT -> "no peer decided in time: serving the restored state";
                case OWN -> "own decisions";
            };
        }
    }

    /**
     * Whether catch-up applies to this configuration: switched on, with peers, and an embedded DNS
     * server with managed names (nothing else serves what this instance restored).
     */
    static boolean applies(Topology topology) {
        return topology.quorum().catchUp().enabled()
                && !topology.peers().isEmpty()
                && topology.dns().provider() == DnsSettings.Provider.EMBEDDED
                && topology.dns().embedded().isPresent()
                && !topology.records().isEmpty();
    }

    private final Instant startedAt;
    private final Duration timeout;
    private Status status;
    private Choice adopted;

    /**
     * @param active whether catch-up applies: else the state is OFF for good
     */
    RestartCatchUp(boolean active, Instant startedAt, Duration timeout) {
        this.startedAt = startedAt;
        this.timeout = timeout;
        this.status = new Status(active ? State.SILENT : State.OFF, List.of(), startedAt);
    }

    Status status() {
        return status;
    }

    /** The records served while ADOPTED (the latest choice). */
    Optional<Choice> adopted() {
        return Optional.ofNullable(adopted);
    }

    /**
     * One evaluation.
     *
     * @param warm this instance's own warm-up is done (its decisions take over)
     * @param deciding the reachable peers that decide now, in configuration order
     * @return the state after it
     */
    Status next(boolean warm, List<Deciding> deciding, Instant now) {
        State s = status.state();
        if (s == State.OFF || s == State.OWN) {
            return status;
        }
        if (warm) {
            return set(State.OWN, List.of(), now);
        }
        Optional<Choice> choice = choose(deciding);
        if (choice.isPresent()) {
            adopted = choice.get();
            return set(State.ADOPTED, adopted.from(), now);
        }
        if (s == State.SILENT && !now.isBefore(startedAt.plus(timeout))) {
            return set(State.TIMED_OUT, List.of(), now);
        }
        // ADOPTED with no peer deciding now (they lost quorum): the last records taken stay, as a
        // frozen instance keeps its own
        return status;
    }

    private Status set(State state, List<String> from, Instant now) {
        if (state != status.state() || !from.equals(status.from())) {
            status = new Status(state, from, now);
        }
        return status;
    }

    /**
     * The records to take from the deciding peers, if any peer decides: those held by the most
     * peers; on a tie the most recently changed, then the peer first in configuration order.
     */
    static Optional<Choice> choose(List<Deciding> deciding) {
        // groups of peers holding the same records, in order of their first peer
        Map<Set<RecordSet>, List<Deciding>> groups = new LinkedHashMap<>();
        for (Deciding d : deciding) {
            groups.computeIfAbsent(new HashSet<>(d.records()), k -> new ArrayList<>()).add(d);
        }
        List<Deciding> best = null;
        for (List<Deciding> g : groups.values()) {
            if (best == null
                    || g.size() > best.size()
                    || (g.size() == best.size() && youngest(g) < youngest(best))) {
                best = g;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(
                new Choice(
                        List.copyOf(best.get(0).records()),
                        best.stream().map(Deciding::peer).toList()));
    }

    private static long youngest(List<Deciding> group) {
        return group.stream().mapToLong(Deciding::ageMs).min().orElse(Long.MAX_VALUE);
    }
}
