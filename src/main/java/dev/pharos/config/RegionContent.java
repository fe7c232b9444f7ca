package dev.pharos.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one region's content is checked: the paths fetched, how often, the age thresholds, and the
 * targets fetched from (the load balancer, whose answer is this vantage point's vote, and the
 * backends if asked for, which are shown only). The targets' probe settings carry the content
 * timeouts and the Host header; the path is set per fetch ({@link ProbeSpec#withPath}).
 *
 * @param maxBody the largest body read, in bytes: a larger trace or manifest is an error
 */
public record RegionContent(
        String region,
        Optional<String> tracePath,
        Optional<String> manifestPath,
        Optional<String> syncingPath,
        Duration interval,
        Duration warnAfter,
        Duration staleAfter,
        int maxBody,
        Target loadBalancer,
        List<Target> backends) {

    public RegionContent {
        backends = List.copyOf(backends);
    }

    /** The load balancer, then every backend fetched from. */
    public List<Target> targets() {
        List<Target> all = new ArrayList<>();
        all.add(loadBalancer);
        all.addAll(backends);
        return all;
    }
}
