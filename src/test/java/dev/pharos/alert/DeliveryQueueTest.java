package dev.pharos.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.alert.Notification.Status;
import dev.pharos.config.DeliverySettings;
import dev.pharos.journal.EventType;
import dev.pharos.journal.Severity;
import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Backoff, give-up age, bound and de-duplication of one receiver's queue, on a manual clock. */
class DeliveryQueueTest {
    private final MutableClock clock = MutableClock.atEpoch();
    private final DeliverySettings settings =
            new DeliverySettings(
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(10),
                    3);
    private final DeliveryQueue queue = new DeliveryQueue(settings, clock);

    private Notification message(String id) {
        return new Notification(
                id,
                "quorum#1",
                Status.FIRING,
                Severity.CRITICAL,
                EventType.QUORUM_LOST,
                null,
                null,
                "m",
                clock.instant(),
                "vp1",
                1,
                Map.of());
    }

    private Optional<String> due() {
        return queue.due(new ArrayList<>()).map(e -> e.notification.id());
    }

    @Test
    void retriesBackOffDoublingUpToTheCap() {
        assertThat(settings.retryDelay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.retryDelay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.retryDelay(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(settings.retryDelay(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.retryDelay(80)).isEqualTo(Duration.ofSeconds(30));

        queue.offer(message("a"));
        assertThat(due()).contains("a");
        assertThat(queue.retry("HTTP 500", Optional.empty())).isEqualTo(Duration.ofSeconds(1));
        assertThat(due()).isEmpty();
        clock.advance(Duration.ofMillis(999));
        assertThat(due()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(due()).contains("a");
        assertThat(queue.retry("HTTP 500", Optional.empty())).isEqualTo(Duration.ofSeconds(2));
        assertThat(queue.nextDue()).contains(clock.instant().plusSeconds(2));
    }

    @Test
    void aLongerRetryAfterIsHonouredWithinTheCap() {
        queue.offer(message("a"));
        assertThat(queue.retry("HTTP 429", Optional.of(Duration.ofSeconds(7))))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(queue.retry("HTTP 429", Optional.of(Duration.ofHours(1))))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(queue.retry("HTTP 503", Optional.of(Duration.ZERO)))
                .isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void messagesAreAttemptedInOrderAndTheNextWaitsForTheFirst() {
        queue.offer(message("a"));
        queue.offer(message("b"));
        queue.retry("timeout", Optional.empty());
        assertThat(due()).as("b waits behind a's backoff").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(due()).contains("a");
        queue.delivered();
        assertThat(due()).contains("b");
    }

    @Test
    void aMessageOlderThanMaxAgeIsGivenUpWhenItComesUp() {
        queue.offer(message("a"));
        clock.advance(Duration.ofMinutes(5));
        queue.offer(message("b"));
        queue.retry("connection refused", Optional.empty());
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        List<DeliveryQueue.GivenUp> expired = new ArrayList<>();
        assertThat(queue.due(expired).map(e -> e.notification.id())).contains("b");
        assertThat(expired)
                .singleElement()
                .satisfies(
                        g -> {
                            assertThat(g.notification().id()).isEqualTo("a");
                            assertThat(g.attempts()).isEqualTo(1);
                            assertThat(g.reason())
                                    .isEqualTo(
                                            "expired: not delivered within 600 s (last error:"
                                                    + " connection refused)");
                        });
    }

    @Test
    void aFullQueueDropsItsOldestMessage() {
        queue.offer(message("a"));
        queue.offer(message("b"));
        queue.offer(message("c"));
        DeliveryQueue.Offered o = queue.offer(message("d"));
        assertThat(o.queued()).isTrue();
        assertThat(o.dropped()).map(g -> g.notification().id()).contains("a");
        assertThat(queue.size()).isEqualTo(3);
        assertThat(due()).contains("b");
    }

    @Test
    void anIdOfferedAgainIsIgnoredWhetherWaitingOrAlreadyDelivered() {
        assertThat(queue.offer(message("a")).queued()).isTrue();
        assertThat(queue.offer(message("a")).queued()).isFalse();
        queue.delivered();
        assertThat(queue.offer(message("a")).queued()).isFalse();
        assertThat(queue.size()).isZero();
    }

    @Test
    void aRefusedMessageIsGivenUpAtOnce() {
        queue.offer(message("a"));
        queue.offer(message("b"));
        DeliveryQueue.GivenUp g = queue.giveUp("refused: HTTP 404");
        assertThat(g.notification().id()).isEqualTo("a");
        assertThat(g.attempts()).isEqualTo(1);
        assertThat(due()).contains("b");
    }
}
