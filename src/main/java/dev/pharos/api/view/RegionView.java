package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A region: its state and reason, per family, and its targets.
 *
 * @param loadBalancer the load balancer's own report of its nodes (region detail only, when a
 *     provider reads one)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegionView(
        String name,
        String state,
        String reason,
        Instant since,
        Map<String, FamilyView> families,
        int backendsUp,
        int backendsTotal,
        List<String> fallback,
        Integer minBackends,
        List<TargetView> targets,
        LoadBalancerView loadBalancer) {

    /** One address family's state. */
    public record FamilyView(String state, String reason) {}
}
