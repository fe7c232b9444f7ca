package dev.pharos.alert;

import dev.pharos.config.DeliverySettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The messages waiting for one receiver, in order, with the retry schedule of the first. Pure
 * bookkeeping over an injected {@link Clock}: no threads, no I/O (a {@link ReceiverWorker} drives
 * it from one thread).
 *
 * <ul>
 *   <li>In order: a message is attempted only after every older one was delivered or given up, so a
 *       resolution never arrives before the message it resolves.
 *   <li>Backoff: after a failed attempt the head waits {@link DeliverySettings#retryDelay} (or the
 *       receiver's Retry-After, within the same cap).
 *   <li>Give up: a message older than {@code max-age} when it comes up, or refused for good.
 *   <li>Bounded: beyond {@code queue-size} the oldest waiting message is dropped.
 *   <li>De-duplicated: a delivery id offered again (queued, delivered or given up recently) is
 *       ignored.
 * </ul>
 */
final class DeliveryQueue {
    /** A waiting message and its attempts so far. */
    static final class Entry {
        final Notification notification;
        int attempts;
        Instant nextAttempt;
        String lastError;

        Entry(Notification notification, Instant nextAttempt) {
            this.notification = notification;
            this.nextAttempt = nextAttempt;
        }
    }

    /** A message that will not be delivered, and why. */
    record GivenUp(Notification notification, int attempts, String reason) {}

    private final DeliverySettings settings;
    private final Clock clock;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();
    private final int seenLimit;

    DeliveryQueue(DeliverySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.seenLimit = Math.max(1000, settings.queueSize() * 4);
    }

    /** What {@link #offer} did: queued the message or not (a duplicate), and what it dropped. */
    record Offered(boolean queued, Optional<GivenUp> dropped) {}

    /** Queues a message, dropping the oldest if the queue is full; ignores an id seen before. */
    Offered offer(Notification n) {
        if (seen.contains(n.id())) {
            return new Offered(false, Optional.empty());
        }
        remember(n.id());
        Optional<GivenUp> dropped = Optional.empty();
        if (entries.size() >= settings.queueSize()) {
            Entry oldest = entries.removeFirst();
            dropped =
                    Optional.of(
                            new GivenUp(
                                    oldest.notification,
                                    oldest.attempts,
                                    "dropped: more than "
                                            + settings.queueSize()
                                            + " messages waiting"));
        }
        entries.addLast(new Entry(n, clock.instant()));
        return new Offered(true, dropped);
    }

    private void remember(String id) {
        seen.add(id);
        if (seen.size() > seenLimit) {
            Iterator<String> it = seen.iterator();
            it.next();
            it.remove();
        }
    }

    /**
     * The first message if its attempt is due now. Messages older than {@code max-age} that come up
     * first are given up and added to {@code expired}.
     */
    Optional<Entry> due(List<GivenUp> expired) {
        Instant now = clock.instant();
        while (!entries.isEmpty()) {
            Entry head = entries.peekFirst();
            if (Duration.between(head.notification.time(), now).compareTo(settings.maxAge()) > 0) {
                entries.removeFirst();
                expired.add(
                        new GivenUp(
                                head.notification,
                                head.attempts,
                                "expired: not delivered within "
                                        + settings.maxAge().toSeconds()
                                        + " s"
                                        + (head.lastError == null
                                                ? ""
                                                : " (last error: " + head.lastError + ")")));
                continue;
            }
            return head.nextAttempt.isAfter(now) ? Optional.empty() : Optional.of(head);
        }
        return Optional.empty();
    }

    /** When the first message is due (empty: nothing waits). */
    Optional<Instant> nextDue() {
        Entry head = entries.peekFirst();
        return head == null ? Optional.empty() : Optional.of(head.nextAttempt);
    }

    /** The first message was delivered. */
    void delivered() {
        entries.pollFirst();
    }

    /**
     * The first message's attempt failed and may be retried: it waits the backoff delay, or the
     * receiver's Retry-After if that is longer (both capped at {@code max-retry-delay}).
     *
     * @return the delay before its next attempt
     */
    Duration retry(String error, Optional<Duration> retryAfter) {
        Entry head = entries.peekFirst();
        if (head == null) {
            return Duration.ZERO;
        }
        head.attempts++;
        head.lastError = error;
        Duration delay = settings.retryDelay(head.attempts);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
            delay =
                    retryAfter.get().compareTo(settings.maxRetryDelay()) > 0
                            ? settings.maxRetryDelay()
                            : retryAfter.get();
        }
        head.nextAttempt = clock.instant().plus(delay);
        return delay;
    }

    /** The first message was refused for good (or cannot be sent): it is dropped. */
    GivenUp giveUp(String reason) {
        Entry head = entries.pollFirst();
        if (head == null) {
            throw new IllegalStateException("nothing to give up");
        }
        return new GivenUp(head.notification, head.attempts + 1, reason);
    }

    int size() {
        return entries.size();
    }
}
