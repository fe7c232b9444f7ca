package dev.pharos.actuator.lb.linode;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.lb.LoadBalancerReport;
import dev.pharos.actuator.lb.LoadBalancerReports;
import dev.pharos.actuator.linode.LinodeClient;
import dev.pharos.actuator.linode.LinodeClients;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancerConfig;
import dev.pharos.actuator.linode.LinodeModel.NodeBalancerNode;
import dev.pharos.config.LoadBalancerSettings;
import dev.pharos.config.RelaySettings;
import dev.pharos.config.Topology;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reads every configured NodeBalancer's configs and nodes every {@code
 * pharos.loadbalancer.linode-poll-interval}, on its own thread, into {@link LoadBalancerReports}:
 * Linode's opinion of each node (UP, DOWN, unknown) beside Pharos's own probes. Per region and
 * poll: one call for the configs, one per config for its nodes (and once, the NodeBalancer's
 * label).
 */
@Singleton
public class NodeBalancerWatch {
    private static final Logger LOG = Logger.getLogger(NodeBalancerWatch.class);

    @Inject Topology topology;
    @Inject LinodeClients clients;
    @Inject LoadBalancerReports reports;
    @Inject Clock clock;

    private final Map<Long, String> labels = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;

    void start(@Observes StartupEvent event) {
        if (topology.loadBalancer().provider() != LoadBalancerSettings.Provider.LINODE
                || nodeBalancers().isEmpty()) {
            return;
        }
        executor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "pharos-nodebalancers");
                            t.setDaemon(true);
                            return t;
                        });
        long ms = topology.loadBalancer().linodePollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::pollAll, 0, ms, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Region -> NodeBalancer id: the load balancer's, else the relay's. */
    Map<String, Long> nodeBalancers() {
        Map<String, Long> out = new TreeMap<>();
        topology.regions()
                .forEach(
                        (name, r) -> {
                            Optional<Long> id =
                                    r.nodebalancerId()
                                            .or(
                                                    () ->
                                                            r.relaySettings()
                                                                    .flatMap(
                                                                            RelaySettings
                                                                                    ::nodebalancerId));
                            id.ifPresent(i -> out.put(name, i));
                        });
        return out;
    }

    void pollAll() {
        LinodeClient client;
        try {
            client = clients.loadBalancer();
        } catch (RuntimeException e) {
            LOG.warnf("cannot read NodeBalancers: %s", e.getMessage());
            return;
        }
        nodeBalancers()
                .forEach(
                        (region, id) ->
                                reports.put(
                                        read(
                                                client,
                                                region,
                                                id,
                                                reports.get(region),
                                                clock.instant())));
    }

    /** One region's report; on failure the previous nodes with the error. */
    LoadBalancerReport read(
            LinodeClient client,
            String region,
            long id,
            Optional<LoadBalancerReport> previous,
            Instant now) {
        try {
            if (!labels.containsKey(id)) {
                labels.put(id, String.valueOf(client.nodeBalancer(id).label()));
            }
            List<LoadBalancerReport.Node> nodes = new ArrayList<>();
            for (NodeBalancerConfig c : client.configs(id)) {
                for (NodeBalancerNode n : client.nodes(id, c.id())) {
                    nodes.add(
                            new LoadBalancerReport.Node(
                                    c.port(),
                                    Long.toString(n.id()),
                                    n.label(),
                                    n.address(),
                                    n.mode(),
                                    n.status()));
                }
            }
            return new LoadBalancerReport(
                    region,
                    "linode",
                    Long.toString(id),
                    Optional.ofNullable(labels.get(id)),
                    Optional.of(now),
                    nodes,
                    Optional.empty());
        } catch (ActuatorException | RuntimeException e) {
            String why =
                    e instanceof ActuatorException
                            ? e.getMessage()
                            : "unexpected " + e.getClass().getSimpleName();
            LOG.warnf("reading NodeBalancer %d of region %s failed: %s", id, region, why);
            return new LoadBalancerReport(
                    region,
                    "linode",
                    Long.toString(id),
                    Optional.ofNullable(labels.get(id)),
                    previous.flatMap(LoadBalancerReport::readAt),
                    previous.map(LoadBalancerReport::nodes).orElse(List.of()),
                    Optional.of(why));
        }
    }
}
