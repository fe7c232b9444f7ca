package dev.pharos.alert;

import dev.pharos.config.AlertSettings;
import dev.pharos.config.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Alert metrics, in one place. Every series exists from the start, at zero.
 *
 * <ul>
 *   <li>{@code pharos_notifications_total{receiver,outcome}}: outcome {@code delivered}, {@code
 *       retried} (an attempt failed, another follows), {@code failed} (given up: refused for good
 *       or older than max-age), {@code dropped} (the queue was full)
 *   <li>{@code pharos_notification_queue{receiver}}: messages waiting
 *   <li>{@code pharos_alerts_received_total{status,outcome}}: inbound alerts; accepted ones one per
 *       alert by status ({@code firing}, {@code resolved}); refused payloads one per request with
 *       status {@code none} and outcome {@code malformed}, {@code too_large} or {@code
 *       unknown_label}
 * </ul>
 */
@Singleton
public class AlertMetrics {
    static final String[] OUTCOMES = {"delivered", "retried", "failed", "dropped"};
    static final String[] REFUSALS = {"malformed", "too_large", "unknown_label"};

    private final Map<String, Counter> notifications = new HashMap<>();
    private final Map<String, AtomicInteger> queues = new HashMap<>();
    private final Map<String, Counter> received = new HashMap<>();

    @Inject
    public AlertMetrics(Topology topology, MeterRegistry registry) {
        this(
                topology.alerts().receivers().stream().map(AlertSettings.Receiver::name).toList(),
                registry);
    }

    AlertMetrics(java.util.List<String> receivers, MeterRegistry registry) {
        for (String r : receivers) {
            for (String o : OUTCOMES) {
                notifications.put(
                        r + "|" + o,
                        Counter.builder("pharos_notifications_total")
                                .description("Outbound notifications by receiver and outcome")
                                .tags("receiver", r, "outcome", o)
                                .register(registry));
            }
            AtomicInteger q = new AtomicInteger();
            Gauge.builder("pharos_notification_queue", q, AtomicInteger::get)
                    .description("Notifications waiting for the receiver")
                    .tags("receiver", r)
                    .register(registry);
            queues.put(r, q);
        }
        for (String s : new String[] {"firing", "resolved"}) {
            received.put(s + "|accepted", receivedCounter(registry, s, "accepted"));
        }
        for (String o : REFUSALS) {
            received.put("none|" + o, receivedCounter(registry, "none", o));
        }
    }

    private static Counter receivedCounter(MeterRegistry registry, String status, String outcome) {
        return Counter.builder("pharos_alerts_received_total")
                .description("Inbound Alertmanager alerts by status and outcome")
                .tags("status", status, "outcome", outcome)
                .register(registry);
    }

    void notification(String receiver, String outcome) {
        Counter c = notifications.get(receiver + "|" + outcome);
        if (c != null) {
            c.increment();
        }
    }

    void queue(String receiver, int size) {
        AtomicInteger q = queues.get(receiver);
        if (q != null) {
            q.set(size);
        }
    }

    /** One accepted alert with this status ("firing" or "resolved"). */
    public void accepted(String status) {
        Counter c = received.get(status + "|accepted");
        if (c != null) {
            c.increment();
        }
    }

    /** One refused payload: "malformed", "too_large" or "unknown_label". */
    public void refused(String outcome) {
        Counter c = received.get("none|" + outcome);
        if (c != null) {
            c.increment();
        }
    }
}
