package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pharos.actuator.lb.LoadBalancerReport;
import java.time.Instant;
import java.util.List;

/**
 * The region's load balancer as its provider reports it: a second opinion beside Pharos's probes,
 * read in the background.
 *
 * @param readAt when the nodes were read (null before the first successful read)
 * @param error why the latest read failed, if it did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadBalancerView(
        String provider,
        String id,
        String label,
        Instant readAt,
        String error,
        List<NodeView> nodes) {

    /** One node: its port, label, address, mode and the provider's own health status. */
    public record NodeView(
            int port, String id, String label, String address, String mode, String status) {}

    public static LoadBalancerView of(LoadBalancerReport r) {
        return new LoadBalancerView(
                r.provider(),
                r.id(),
                r.label().orElse(null),
                r.readAt().orElse(null),
                r.error().orElse(null),
                r.nodes().stream()
                        .map(
                                n ->
                                        new NodeView(
                                                n.port(),
                                                n.id(),
                                                n.label(),
                                                n.address(),
                                                n.mode(),
                                                n.status()))
                        .toList());
    }
}
