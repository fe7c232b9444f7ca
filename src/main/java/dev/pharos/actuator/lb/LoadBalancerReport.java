package dev.pharos.actuator.lb;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a region's load balancer says about its own nodes: a second opinion beside Pharos's probes.
 * It lags (a NodeBalancer's checks take about interval x attempts to notice a change).
 *
 * @param readAt when the nodes were last read successfully (absent before the first success)
 * @param error why the last read failed, if it did (the nodes are then those of {@code readAt})
 */
public record LoadBalancerReport(
        String region,
        String provider,
        String id,
        Optional<String> label,
        Optional<Instant> readAt,
        List<Node> nodes,
        Optional<String> error) {

    public LoadBalancerReport {
        nodes = List.copyOf(nodes);
    }

    /**
     * One node of the load balancer.
     *
     * @param port the load balancer port (NodeBalancer config) the node serves
     * @param mode accept, reject, drain or backup
     * @param status the load balancer's own check: UP, DOWN or unknown
     */
    public record Node(
            int port, String id, String label, String address, String mode, String status) {}
}
