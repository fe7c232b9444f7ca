package dev.pharos.actuator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Actuator metrics, in one place.
 *
 * <ul>
 *   <li>{@code pharos_plan_total{actuator,outcome}}: outcome changes or noop
 *   <li>{@code pharos_apply_total{actuator,outcome}}: ok, retryable_error, permanent_error,
 *       dry_run, not_actuating
 *   <li>{@code pharos_apply_duration_seconds{actuator}}
 *   <li>{@code pharos_dns_propagation_seconds{actuator}}: from apply to every authoritative server
 *       serving the change
 *   <li>{@code pharos_actuator_up{actuator}}: 0 once a permanent error stopped it, for every
 *       actuator ({@code linode-dns}, {@code linode-relay}, ...); the others are DNS only
 * </ul>
 */
@Singleton
public class ActuatorMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> up = new ConcurrentHashMap<>();

    @Inject
    public ActuatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A DNS actuator: its up gauge, plan and apply counters, created up front. */
    public void register(String actuator) {
        registerUp(actuator);
        for (String o : new String[] {"changes", "noop"}) {
            plan(actuator, o);
        }
        for (String o :
                new String[] {
                    "ok", "retryable_error", "permanent_error", "dry_run", "not_actuating"
                }) {
            apply(actuator, o);
        }
    }

    /** Any actuator's up gauge (a relay actuator has only this one here). */
    public void registerUp(String actuator) {
        up.computeIfAbsent(
                actuator,
                a -> {
                    AtomicInteger g = new AtomicInteger(1);
                    Gauge.builder("pharos_actuator_up", g, AtomicInteger::get)
                            .description(
                                    "1 while the actuator runs, 0 once a permanent error stopped it")
                            .tag("actuator", a)
                            .register(registry);
                    return g;
                });
    }

    private Counter plan(String actuator, String outcome) {
        return Counter.builder("pharos_plan_total")
                .description("Plans computed, by whether they had changes")
                .tags("actuator", actuator, "outcome", outcome)
                .register(registry);
    }

    private Counter apply(String actuator, String outcome) {
        return Counter.builder("pharos_apply_total")
                .description("Applies by outcome")
                .tags("actuator", actuator, "outcome", outcome)
                .register(registry);
    }

    public void planned(String actuator, boolean changes) {
        plan(actuator, changes ? "changes" : "noop").increment();
    }

    public void applied(String actuator, String outcome, Duration took) {
        apply(actuator, outcome).increment();
        if (took != null) {
            Timer.builder("pharos_apply_duration_seconds")
                    .description("Time one apply took")
                    .tag("actuator", actuator)
                    .serviceLevelObjectives(
                            Duration.ofMillis(1),
                            Duration.ofMillis(10),
                            Duration.ofMillis(100),
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(30))
                    .register(registry)
                    .record(took);
        }
    }

    public void propagated(String actuator, Duration took) {
        Timer.builder("pharos_dns_propagation_seconds")
                .description("From apply to every authoritative server serving the change")
                .tag("actuator", actuator)
                .serviceLevelObjectives(
                        Duration.ofMillis(10),
                        Duration.ofMillis(100),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(120))
                .register(registry)
                .record(took);
    }

    public void up(String actuator, boolean isUp) {
        registerUp(actuator);
        up.get(actuator).set(isUp ? 1 : 0);
    }
}
