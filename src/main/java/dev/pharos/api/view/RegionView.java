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
 * @param content the region's content state, if its content is checked (docs/CONTENT.md)
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
        RelayView relay,
        List<TargetView> targets,
        LoadBalancerView loadBalancer,
        ContentView content) {

    /** One address family's state. */
    public record FamilyView(String state, String reason) {}

    /**
     * The region's relay: what the decision wants (target and why) and what the load-balancer
     * provider showed at its last read (this instance's, if it actuates).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RelayView(
            String desiredTarget,
            String reason,
            Boolean inRotation,
            String forwardTo,
            Map<String, String> provider) {}
}
