package dev.pharos.observation;

import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.probe.ProbeResult;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** This vantage point's latest observation of every target. */
@Singleton
public class OwnObservations {
    private final Map<String, ProbeResult> latest = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final int targetCount;

    @Inject
    public OwnObservations(Topology topology) {
        this.targetCount = topology.targets().size();
        topology.targets().forEach(t -> counts.put(t.id(), new AtomicLong()));
    }

    public void record(Target target, ProbeResult result) {
        latest.put(target.id(), result);
        counts.computeIfAbsent(target.id(), k -> new AtomicLong()).incrementAndGet();
    }

    public Optional<ProbeResult> latest(String targetId) {
        return Optional.ofNullable(latest.get(targetId));
    }

    public long probes(String targetId) {
        AtomicLong c = counts.get(targetId);
        return c == null ? 0 : c.get();
    }

    /** Every target has been probed at least once. */
    public boolean firstRoundDone() {
        return latest.size() >= targetCount;
    }
}
