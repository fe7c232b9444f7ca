package dev.pharos.api;

import dev.pharos.journal.Journal;
import dev.pharos.journal.PeerEvent.PeerRefused;
import dev.pharos.observation.ObservationMetrics;
import dev.pharos.observation.PeerRefusal;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Every refused peer request is counted ({@code pharos_peer_refused_total{caller,reason}}); the
 * journal gets a {@code PEER_REFUSED} event at most once a {@link #JOURNAL_EVERY} per caller, which
 * counts the refusals since the previous one, so a peer that keeps sending what is refused cannot
 * flood the journal (or the notifications that follow it). Refusals arrive on the HTTP I/O thread:
 * the journal's fsync runs on a worker, never there.
 */
@Singleton
public class PeerRefusals {
    private static final Logger LOG = Logger.getLogger(PeerRefusals.class);

    /** At most one journal event per caller in this time. */
    public static final Duration JOURNAL_EVERY = Duration.ofMinutes(1);

    private final ObservationMetrics metrics;
    private final Journal journal;
    private final Clock clock;
    private final Executor background;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** The caller's journal window: when it was last journaled, refusals since (unjournaled). */
    private record Window(Instant journaledAt, long pending) {}

    @Inject
    public PeerRefusals(ObservationMetrics metrics, Journal journal, Clock clock, Vertx vertx) {
        this(
                metrics,
                journal,
                clock,
                task ->
                        vertx.executeBlocking(
                                () -> {
                                    task.run();
                                    return null;
                                },
                                false));
    }

    PeerRefusals(ObservationMetrics metrics, Journal journal, Clock clock, Executor background) {
        this.metrics = metrics;
        this.journal = journal;
        this.clock = clock;
        this.background = background;
    }

    /**
     * Counts a refusal and journals it if this caller had none journaled within the last minute.
     *
     * @param caller the vantage point the request's credential names, or {@code unknown}
     */
    public void refused(String caller, PeerRefusal refusal) {
        metrics.refused(caller, refusal.reason());
        Instant now = clock.instant();
        long[] toJournal = {0};
        windows.compute(
                caller,
                (c, w) -> {
                    long pending = (w == null ? 0 : w.pending()) + 1;
                    if (w == null
                            || w.journaledAt() == null
                            || !now.isBefore(w.journaledAt().plus(JOURNAL_EVERY))) {
                        toJournal[0] = pending;
                        return new Window(now, 0);
                    }
                    return new Window(w.journaledAt(), pending);
                });
        if (toJournal[0] > 0) {
            LOG.warnf(
                    "refused a peer request from %s (%s): %s",
                    caller, refusal.reason().label(), refusal.detail());
            PeerRefused event =
                    PeerRefused.of(
                            caller, refusal.reason().label(), refusal.detail(), toJournal[0]);
            background.execute(() -> journal.append(event));
        }
    }
}
