package dev.pharos.probe;

import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every probe metric, in one place. Series are created up front for every target and result, so
 * they exist (at zero) before the first failure, and recording is a map lookup.
 *
 * <ul>
 *   <li>{@code pharos_probe_duration_seconds{target,vantage,type}}: histogram of whole-probe time
 *   <li>{@code pharos_probe_results_total{target,vantage,result}}: result is "success" or a failure
 *       reason (timeout, refused, reset, tls, status, body, dns, other)
 *   <li>{@code pharos_probe_schedule_lag_seconds{vantage}}: how late probes start
 *   <li>{@code pharos_probe_certificate_expiry_timestamp_seconds{target,vantage}}: https only
 * </ul>
 */
@Singleton
public class ProbeMetrics {
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500)
    };

    private record PerTarget(
            Timer duration,
            Counter success,
            Map<FailureReason, Counter> failures,
            AtomicLong certExpiry) {}

    private final Map<String, PerTarget> perTarget = new HashMap<>();
    private final Timer lag;

    @Inject
    public ProbeMetrics(Topology topology, MeterRegistry registry) {
        String vantage = topology.nodeName();
        for (Target t : topology.targets()) {
            Timer duration =
                    Timer.builder("pharos_probe_duration_seconds")
                            .description("Whole-probe time, from connect to verdict")
                            .tags(
                                    "target",
                                    t.id(),
                                    "vantage",
                                    vantage,
                                    "type",
                                    t.probe().type().label())
                            .serviceLevelObjectives(BUCKETS)
                            .register(registry);
            Counter success = result(registry, t, vantage, "success");
            Map<FailureReason, Counter> failures = new EnumMap<>(FailureReason.class);
            for (FailureReason r : FailureReason.values()) {
                failures.put(r, result(registry, t, vantage, r.label()));
            }
            AtomicLong expiry = new AtomicLong();
            if (t.probe().type() == dev.pharos.config.ProbeType.HTTPS) {
                Gauge.builder(
                                "pharos_probe_certificate_expiry_timestamp_seconds",
                                expiry,
                                AtomicLong::get)
                        .description("Expiry (Unix time) of the certificate the target presented")
                        .tags("target", t.id(), "vantage", vantage)
                        .register(registry);
            }
            perTarget.put(t.id(), new PerTarget(duration, success, failures, expiry));
        }
        lag =
                Timer.builder("pharos_probe_schedule_lag_seconds")
                        .description("How much later than planned probes start")
                        .tags("vantage", vantage)
                        .serviceLevelObjectives(
                                Duration.ofMillis(1),
                                Duration.ofMillis(5),
                                Duration.ofMillis(10),
                                Duration.ofMillis(50),
                                Duration.ofMillis(100),
                                Duration.ofMillis(500))
                        .publishPercentiles(0.5, 0.99)
                        .register(registry);
    }

    private static Counter result(MeterRegistry registry, Target t, String vantage, String result) {
        return Counter.builder("pharos_probe_results_total")
                .description("Probe results by outcome: success or the failure reason")
                .tags("target", t.id(), "vantage", vantage, "result", result)
                .register(registry);
    }

    public void record(Target target, ProbeResult result, long lagNanos) {
        PerTarget p = perTarget.get(target.id());
        if (p == null) {
            return;
        }
        p.duration.record(Math.max(0, result.timings().totalMicros()), TimeUnit.MICROSECONDS);
        if (result.success()) {
            p.success.increment();
        } else {
            p.failures.get(result.reason().get()).increment();
        }
        result.certNotAfter().ifPresent(t -> p.certExpiry.set(t.getEpochSecond()));
        lag.record(lagNanos, TimeUnit.NANOSECONDS);
    }
}
