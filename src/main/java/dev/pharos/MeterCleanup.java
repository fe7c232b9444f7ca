package dev.pharos;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Removes every {@code pharos_} meter at shutdown. The registry Quarkus injects outlives one run of
 * the application when several run in one JVM (tests, dev mode): a gauge registered again under the
 * same name and tags would otherwise stay bound to the previous run's objects.
 */
@Singleton
public class MeterCleanup {
    @Inject MeterRegistry registry;

    void stop(@Observes ShutdownEvent event) {
        List<Meter> ours =
                registry.getMeters().stream()
                        .filter(m -> m.getId().getName().startsWith("pharos_"))
                        .toList();
        ours.forEach(registry::remove);
    }
}
