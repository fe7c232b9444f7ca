package dev.pharos.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Turns the mapped configuration into the validated topology, once, at start-up. */
public class ConfigProducer {

    @Produces
    @Singleton
    Topology topology(PharosConfig config) {
        return TopologyBuilder.build(config);
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
