package dev.pharos.actuator.linode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Linode API metrics, in one place, every series created up front.
 *
 * <ul>
 *   <li>{@code pharos_linode_requests_total{endpoint,status}}: requests sent, by operation (method
 *       and templated path, {@link Endpoint}) and answer: 2xx, 400, 401, 403, 404, 429, 5xx, other,
 *       none (no answer: timeout, dropped connection)
 *   <li>{@code pharos_linode_retry_after_seconds}: the Retry-After of every 429 (its count is the
 *       number of 429s)
 *   <li>{@code pharos_linode_wait_seconds{reason}}: time requests waited before being sent, for a
 *       token's Retry-After ({@code retry_after}) or for Pharos's own budget ({@code budget})
 *   <li>{@code pharos_linode_held_total{reason}}: requests not sent at all because that wait was
 *       longer than the client waits (the caller backs off and retries)
 *   <li>{@code pharos_linode_unconfirmed_creations_total{outcome}}: record creations whose answer
 *       was lost, by how they were settled: {@code appeared} (Linode had applied it, possibly late)
 *       or {@code not_seen} (not there after the wait: made again)
 *   <li>{@code pharos_linode_nodebalancer_watch_errors_total{kind}}: failed NodeBalancer reads,
 *       {@code retryable} or {@code permanent} (the watch then stops)
 *   <li>{@code pharos_linode_nodebalancer_watch_up}: 1 while the watch runs, 0 once stopped
 * </ul>
 */
@Singleton
public class LinodeMetrics {
    /** The answer classes of {@code pharos_linode_requests_total}. */
    static final List<String> STATUSES =
            List.of("2xx", "400", "401", "403", "404", "429", "5xx", "other", "none");

    /** Why a request waited, or was held back. */
    public enum Wait {
        RETRY_AFTER("retry_after"),
        BUDGET("budget");

        final String label;

        Wait(String label) {
            this.label = label;
        }
    }

    private final Map<Endpoint, Map<String, Counter>> requests = new EnumMap<>(Endpoint.class);
    private final Map<Wait, Timer> waits = new EnumMap<>(Wait.class);
    private final Map<Wait, Counter> held = new EnumMap<>(Wait.class);
    private final Map<String, Counter> unconfirmed = new HashMap<>();
    private final Counter watchRetryable;
    private final Counter watchPermanent;
    private final AtomicInteger watchUp = new AtomicInteger(1);
    private final DistributionSummary retryAfter;

    @Inject
    public LinodeMetrics(MeterRegistry registry) {
        for (Endpoint e : Endpoint.values()) {
            Map<String, Counter> byStatus = new HashMap<>();
            for (String s : STATUSES) {
                byStatus.put(
                        s,
                        Counter.builder("pharos_linode_requests_total")
                                .description("Linode API requests, by operation and answer")
                                .tags("endpoint", e.label(), "status", s)
                                .register(registry));
            }
            requests.put(e, byStatus);
        }
        retryAfter =
                DistributionSummary.builder("pharos_linode_retry_after_seconds")
                        .description("Retry-After of each 429 Linode answered")
                        .baseUnit("seconds")
                        .register(registry);
        for (Wait w : Wait.values()) {
            waits.put(
                    w,
                    Timer.builder("pharos_linode_wait_seconds")
                            .description("Time Linode requests waited before they were sent")
                            .tag("reason", w.label)
                            .register(registry));
            held.put(
                    w,
                    Counter.builder("pharos_linode_held_total")
                            .description("Linode requests not sent: the wait was too long")
                            .tag("reason", w.label)
                            .register(registry));
        }
        for (String o : List.of("appeared", "not_seen")) {
            unconfirmed.put(
                    o,
                    Counter.builder("pharos_linode_unconfirmed_creations_total")
                            .description("Record creations whose answer was lost, by outcome")
                            .tag("outcome", o)
                            .register(registry));
        }
        watchRetryable = watchErrors(registry, "retryable");
        watchPermanent = watchErrors(registry, "permanent");
        Gauge.builder("pharos_linode_nodebalancer_watch_up", watchUp, AtomicInteger::get)
                .description(
                        "1 while the NodeBalancer watch runs, 0 once a permanent error stopped it")
                .register(registry);
    }

    /** Metrics kept in a registry of their own (clients built outside the application). */
    public static LinodeMetrics unregistered() {
        return new LinodeMetrics(new SimpleMeterRegistry());
    }

    private static Counter watchErrors(MeterRegistry registry, String kind) {
        return Counter.builder("pharos_linode_nodebalancer_watch_errors_total")
                .description("Failed reads of the NodeBalancer watch")
                .tag("kind", kind)
                .register(registry);
    }

    /** One request answered with {@code status} (0: no answer). */
    void request(Endpoint endpoint, int status) {
        requests.get(endpoint).get(statusClass(status)).increment();
    }

    static String statusClass(int status) {
        if (status == 0) {
            return "none";
        }
        if (status >= 200 && status < 300) {
            return "2xx";
        }
        if (status >= 500 && status < 600) {
            return "5xx";
        }
        String s = Integer.toString(status);
        return STATUSES.contains(s) ? s : "other";
    }

    void rateLimited(Duration retryAfterValue) {
        retryAfter.record(retryAfterValue.toMillis() / 1000.0);
    }

    void waited(Wait why, Duration d) {
        waits.get(why).record(d);
    }

    void held(Wait why) {
        held.get(why).increment();
    }

    /** A creation whose answer was lost was settled: it appeared, or was not seen in time. */
    public void unconfirmedCreation(boolean appeared) {
        unconfirmed.get(appeared ? "appeared" : "not_seen").increment();
    }

    /** A NodeBalancer read failed; a permanent failure stops the watch. */
    public void watchError(boolean permanent) {
        (permanent ? watchPermanent : watchRetryable).increment();
        if (permanent) {
            watchUp.set(0);
        }
    }

    public void watchResumed() {
        watchUp.set(1);
    }
}
