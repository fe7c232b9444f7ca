package dev.pharos;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer returns the already registered gauge (with its old state object) when a gauge with the
 * same name and tags is registered again, as happens when Quarkus restarts the application in one
 * JVM (tests, dev mode). Metric classes that own gauges clear their names first.
 */
public final class Gauges {
    private Gauges() {}

    public static void clear(MeterRegistry registry, String... names) {
        for (String name : names) {
            registry.find(name).meters().forEach(registry::remove);
        }
    }
}
