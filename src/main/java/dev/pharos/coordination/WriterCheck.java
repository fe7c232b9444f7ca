package dev.pharos.coordination;

import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.VantageSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who writes to the external actuators, as this instance sees it: itself and every reachable peer,
 * each by what its snapshot announces. Exactly one writer is right while an external actuator is
 * configured (and not in dry-run); none is right otherwise.
 *
 * @param writers the vantage points that announce they write, this one included, by name
 * @param silent reachable peers whose snapshot does not say (a version before coordination)
 * @param unreachable peers with no fresh snapshot: one of them may be the writer
 * @param expected whether exactly one writer is expected
 */
public record WriterCheck(
        List<String> writers, List<String> silent, List<String> unreachable, boolean expected) {

    public WriterCheck {
        writers = List.copyOf(writers);
        silent = List.copyOf(silent);
        unreachable = List.copyOf(unreachable);
    }

    /**
     * Counts the writers.
     *
     * @param peers every configured peer's latest snapshot as received, if any, with whether it is
     *     reachable now
     */
    public static WriterCheck of(
            String self, boolean selfWrites, List<Peer> peers, boolean expected) {
        List<String> writers = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        if (selfWrites) {
            writers.add(self);
        }
        for (Peer p : peers) {
            if (!p.reachable() || p.latest().isEmpty()) {
                unreachable.add(p.name());
                continue;
            }
            VantageSnapshot s = p.latest().get().snapshot();
            if (s.actuates() == null) {
                silent.add(p.name());
            } else if (s.writes()) {
                writers.add(p.name());
            }
        }
        // by name: every instance words the same count the same way
        writers.sort(null);
        return new WriterCheck(writers, silent, unreachable, expected);
    }

    /** A configured peer as the check reads it. */
    public record Peer(
            String name, boolean reachable, Optional<PeerObservations.Received> latest) {}

    public int count() {
        return writers.size();
    }

    /** What is wrong, in words (readiness, the journal), or empty when the count is right. */
    public Optional<String> problem() {
        if (count() > 1) {
            return Optional.of(
                    count()
                            + " vantage points write to the external actuators ("
                            + String.join(", ", writers)
                            + "); exactly one must");
        }
        if (count() == 0 && expected) {
            StringBuilder b =
                    new StringBuilder(
                            "no vantage point writes to the external actuators: DNS and relays"
                                    + " do not follow the verdicts");
            if (!unreachable.isEmpty()) {
                b.append(" (unreachable: ").append(String.join(", ", unreachable)).append(')');
            }
            if (!silent.isEmpty()) {
                b.append(" (not saying, an older version: ")
                        .append(String.join(", ", silent))
                        .append(')');
            }
            return Optional.of(b.toString());
        }
        return Optional.empty();
    }
}
