package dev.pharos.actuator.lb;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@link LoadBalancerReport} per region, written by a background reader and read by the
 * API (never read from the load balancer on the request thread).
 */
@Singleton
public class LoadBalancerReports {
    private final Map<String, LoadBalancerReport> byRegion = new ConcurrentHashMap<>();

    public void put(LoadBalancerReport report) {
        byRegion.put(report.region(), report);
    }

    public Optional<LoadBalancerReport> get(String region) {
        return Optional.ofNullable(byRegion.get(region));
    }
}
