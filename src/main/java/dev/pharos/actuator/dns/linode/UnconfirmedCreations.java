package dev.pharos.actuator.dns.linode;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.linode.LinodeMetrics;
import dev.pharos.actuator.linode.Sleeper;
import dev.pharos.domain.RecordKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Record creations whose answer was lost. Linode may have applied such a creation, or may apply it
 * seconds later (a read right after the timeout does not show it yet), so the row is never made
 * again before the creation is settled: before making it again, its rows are read by name and type
 * every poll until it shows (then it is not made again) or {@link #WAIT} has passed since it was
 * sent (then it is made again; if Linode applies the lost one even later, the next read sees a
 * duplicate row and the plan removes it). A read that shows it settles it too. Not thread-safe: the
 * provider calls it under its own lock.
 */
final class UnconfirmedCreations {
    private static final Logger LOG = Logger.getLogger(UnconfirmedCreations.class);

    /** How long after it was sent a lost creation is waited for. */
    static final Duration WAIT = Duration.ofSeconds(30);

    /** Reads the values of one RRset's rows (by name and type). */
    @FunctionalInterface
    interface Reader {
        Collection<String> values(RecordKey key) throws ActuatorException;
    }

    private record Creation(RecordKey key, String value, Instant sent) {}

    private final List<Creation> pending = new ArrayList<>();
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration poll;
    private final LinodeMetrics metrics;

    UnconfirmedCreations(Clock clock, Sleeper sleeper, Duration poll, LinodeMetrics metrics) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.poll = poll;
        this.metrics = metrics;
    }

    /** A creation of {@code value} was sent at {@code sent} and its answer lost. */
    void lost(RecordKey key, String value, Instant sent) {
        pending.add(new Creation(key, value, sent));
    }

    /** A read showed these values of {@code key}: the creations among them are settled. */
    void seen(RecordKey key, Collection<String> values) {
        pending.removeIf(
                c -> {
                    boolean shows = c.key().equals(key) && values.contains(c.value());
                    if (shows) {
                        appeared(c);
                    }
                    return shows;
                });
    }

    /**
     * Whether {@code value} must not be created now because a lost creation of it has appeared;
     * called right after a read that did not show it, it waits (reading the rows of {@code key}
     * every poll) while it may still appear.
     */
    boolean appeared(RecordKey key, String value, Reader reader) throws ActuatorException {
        Optional<Creation> found =
                pending.stream()
                        .filter(c -> c.key().equals(key) && c.value().equals(value))
                        .findFirst();
        if (found.isEmpty()) {
            return false;
        }
        Creation c = found.get();
        Instant until = c.sent().plus(WAIT);
        // the read this plan was made from did not show it: wait before asking again
        for (Instant now = clock.instant(); now.isBefore(until); now = clock.instant()) {
            Duration left = Duration.between(now, until);
            try {
                sleeper.sleep(left.compareTo(poll) < 0 ? left : poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ActuatorException.retryable(
                        key + ": interrupted while waiting for a lost creation to show", e);
            }
            if (reader.values(key).contains(value)) {
                pending.remove(c);
                appeared(c);
                return true;
            }
        }
        pending.remove(c);
        metrics.unconfirmedCreation(false);
        LOG.warnf(
                "%s: the creation of %s whose answer was lost %d s ago does not show;"
                        + " creating it again",
                key, value, Duration.between(c.sent(), clock.instant()).toSeconds());
        return false;
    }

    private void appeared(Creation c) {
        metrics.unconfirmedCreation(true);
        LOG.infof(
                "%s: %s, whose creation's answer was lost, shows after %d ms; not made again",
                c.key(), c.value(), Duration.between(c.sent(), clock.instant()).toMillis());
    }
}
