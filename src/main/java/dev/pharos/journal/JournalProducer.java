package dev.pharos.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.config.Topology;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The journal of this instance, in its data directory. */
public class JournalProducer {
    @Produces
    @Singleton
    Journal journal(Topology topology, Clock clock, ObjectMapper json) {
        var j = topology.journal();
        return new Journal(
                topology.dataDir(),
                topology.nodeName(),
                clock,
                json,
                20_000,
                new Journal.Settings(j.segmentBytes(), j.retainSegments(), j.unwrittenLimit()));
    }

    @Produces
    @Singleton
    StateStore stateStore(Topology topology, ObjectMapper json, Clock clock) {
        return new StateStore(topology.dataDir(), json, clock);
    }

    void close(@Disposes Journal journal) {
        journal.close();
    }

    void close(@Disposes StateStore store) {
        store.close();
    }
}
