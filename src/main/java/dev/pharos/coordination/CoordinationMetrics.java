package dev.pharos.coordination;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who writes, as this instance sees it.
 *
 * <ul>
 *   <li>{@code pharos_writers}: vantage points that announce they write to the external actuators,
 *       this one included, among those reachable; -1 until the first judgement after warm-up
 *   <li>{@code pharos_writers_expected}: 1 while exactly one writer is expected (an external
 *       actuator is configured and dry-run is off), else 0
 *   <li>{@code pharos_writer} (1/0): this instance writes now
 *   <li>{@code pharos_writer_term}: its term while it writes under etcd coordination, else 0
 * </ul>
 */
@Singleton
public class CoordinationMetrics {
    private final AtomicInteger writers = new AtomicInteger(-1);
    private final AtomicInteger expected = new AtomicInteger();
    private final AtomicInteger self = new AtomicInteger();
    private final AtomicLong term = new AtomicLong();

    @Inject
    public CoordinationMetrics(MeterRegistry registry) {
        Gauge.builder("pharos_writers", writers, AtomicInteger::get)
                .description(
                        "Vantage points announcing that they write to the external actuators,"
                                + " this one included; -1 before the first count")
                .register(registry);
        Gauge.builder("pharos_writers_expected", expected, AtomicInteger::get)
                .description("1 while exactly one writer is expected, else 0")
                .register(registry);
        Gauge.builder("pharos_writer", self, AtomicInteger::get)
                .description("1 while this instance writes to the external actuators")
                .register(registry);
        Gauge.builder("pharos_writer_term", term, AtomicLong::get)
                .description("This instance's writer term while it holds the etcd lease, else 0")
                .register(registry);
    }

    void update(WriterCheck check, boolean selfWrites, OptionalLong writerTerm) {
        writers.set(check.count());
        expected.set(check.expected() ? 1 : 0);
        self.set(selfWrites ? 1 : 0);
        term.set(writerTerm.orElse(0));
    }
}
