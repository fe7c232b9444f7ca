package dev.pharos.api.view;

import java.util.List;

/**
 * A managed RRset: what Pharos wants, what the provider publishes, and how long a failover can take
 * in the worst case: detection (the next probe, then {@code fall} failures each up to the probe
 * timeout) + the peer exchange (one interval if a push is lost) + provider propagation + the TTL
 * resolvers may cache the old answer for.
 */
public record RecordView(
        String name,
        String type,
        int ttl,
        List<String> desired,
        List<String> published,
        boolean inSync,
        FailoverTime worstCaseFailover) {

    /** The parts of the worst-case failover time, in seconds. */
    public record FailoverTime(
            double detectionSeconds,
            double exchangeSeconds,
            double propagationSeconds,
            double ttlSeconds,
            double totalSeconds) {}
}
