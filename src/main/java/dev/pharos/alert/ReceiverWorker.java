package dev.pharos.alert;

import dev.pharos.alert.DeliveryQueue.GivenUp;
import dev.pharos.alert.Notification.Status;
import dev.pharos.alert.Transport.Attempt;
import dev.pharos.config.AlertSettings;
import dev.pharos.config.DeliverySettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Delivers one receiver's messages, on a thread of its own: {@link #consider} only hands the
 * message over, so the thread that journaled the event (the pipeline) never waits for a receiver.
 * One attempt is in flight at a time (its answer arrives on the transport's threads and is handed
 * back here); a slow or dead receiver holds only its own queue.
 *
 * <p>Which messages it takes: a firing message that passes the receiver's severity and event
 * filter, and the resolution of every incident it was told about.
 */
final class ReceiverWorker {
    private static final Logger LOG = Logger.getLogger(ReceiverWorker.class);

    /** Told about every message that will not be delivered. */
    interface GiveUpListener {
        void gaveUp(ReceiverSettings receiver, GivenUp message);
    }

    private final ReceiverSettings receiver;
    private final DeliverySettings delivery;
    private final Transport transport;
    private final Payloads payloads;
    private final Clock clock;
    private final AlertMetrics metrics;
    private final GiveUpListener listener;
    private final ScheduledExecutorService executor;
    private final DeliveryQueue queue;
    // everything below is touched only on the executor's thread
    private final Set<String> told = new HashSet<>();
    private boolean inFlight;
    private boolean failing;
    private ScheduledFuture<?> wake;

    ReceiverWorker(
            ReceiverSettings receiver,
            DeliverySettings delivery,
            Transport transport,
            Payloads payloads,
            Clock clock,
            AlertMetrics metrics,
            GiveUpListener listener) {
        this.receiver = receiver;
        this.delivery = delivery;
        this.transport = transport;
        this.payloads = payloads;
        this.clock = clock;
        this.metrics = metrics;
        this.listener = listener;
        this.queue = new DeliveryQueue(delivery, clock);
        ScheduledThreadPoolExecutor e =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "pharos-notify-" + receiver.name());
                            t.setDaemon(true);
                            return t;
                        });
        e.setRemoveOnCancelPolicy(true);
        this.executor = e;
    }

    ReceiverSettings receiver() {
        return receiver;
    }

    /** Hands a message over; returns at once. */
    void consider(Notification n) {
        run(
                () -> {
                    if (takes(n)) {
                        DeliveryQueue.Offered o = queue.offer(n);
                        o.dropped()
                                .ifPresent(
                                        g -> {
                                            metrics.notification(receiver.name(), "dropped");
                                            listener.gaveUp(receiver, g);
                                        });
                        pump();
                    }
                });
    }

    private boolean takes(Notification n) {
        if (n.status() == Status.RESOLVED) {
            return told.remove(n.incident());
        }
        if (!receiver.wants(n)) {
            return false;
        }
        told.add(n.incident());
        return true;
    }

    private void run(Runnable task) {
        try {
            executor.execute(
                    () -> {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "%s: unexpected error", receiver);
                        }
                    });
        } catch (RejectedExecutionException e) {
            // stopped: messages still waiting are lost with the process
        }
    }

    /** Sends the first message if it is due, else sleeps until it is. */
    private void pump() {
        if (inFlight) {
            return;
        }
        List<GivenUp> expired = new ArrayList<>();
        Optional<DeliveryQueue.Entry> due = queue.due(expired);
        for (GivenUp g : expired) {
            metrics.notification(receiver.name(), "failed");
            listener.gaveUp(receiver, g);
        }
        metrics.queue(receiver.name(), queue.size());
        if (due.isEmpty()) {
            sleepUntilDue();
            return;
        }
        Notification n = due.get().notification;
        inFlight = true;
        byte[] body =
                receiver.type() == AlertSettings.ReceiverType.SLACK
                        ? payloads.slack(n)
                        : payloads.webhook(n);
        transport
                .post(receiver.url(), headers(n, body), body, delivery.timeout())
                .whenComplete(
                        (a, t) -> run(() -> answered(a != null ? a : HttpTransport.failed(t))));
    }

    private Map<String, String> headers(Notification n, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("User-Agent", "Pharos");
        h.put(WebhookSignature.DELIVERY, n.id());
        h.put(WebhookSignature.EVENT, n.event().label());
        if (receiver.secret().isPresent()) {
            long ts = clock.instant().getEpochSecond();
            h.put(WebhookSignature.TIMESTAMP, Long.toString(ts));
            h.put(
                    WebhookSignature.SIGNATURE,
                    WebhookSignature.sign(receiver.secret().get(), ts, body));
        }
        return h;
    }

    private void answered(Attempt a) {
        inFlight = false;
        switch (a.result()) {
            case DELIVERED -> {
                queue.delivered();
                metrics.notification(receiver.name(), "delivered");
                if (failing) {
                    failing = false;
                    LOG.infof("%s: delivering again", receiver);
                }
            }
            case RETRYABLE -> {
                Duration d = queue.retry(a.error(), a.retryAfter());
                metrics.notification(receiver.name(), "retried");
                if (!failing) {
                    failing = true;
                    LOG.warnf(
                            "%s: delivery failed (%s); retrying in %d ms",
                            receiver, a.error(), d.toMillis());
                }
            }
            case PERMANENT -> {
                GivenUp g = queue.giveUp("refused: " + a.error());
                metrics.notification(receiver.name(), "failed");
                LOG.warnf(
                        "%s: message %s refused (%s); not retried",
                        receiver, g.notification().id(), a.error());
                listener.gaveUp(receiver, g);
            }
        }
        pump();
    }

    private void sleepUntilDue() {
        if (wake != null) {
            wake.cancel(false);
            wake = null;
        }
        Optional<Instant> at = queue.nextDue();
        if (at.isPresent()) {
            long ms = Math.max(1, Duration.between(clock.instant(), at.get()).toMillis());
            wake = executor.schedule(() -> run(this::pump), ms, TimeUnit.MILLISECONDS);
        }
    }

    void stop() {
        executor.shutdownNow();
    }
}
