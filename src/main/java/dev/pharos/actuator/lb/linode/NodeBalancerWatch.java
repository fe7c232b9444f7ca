package dev.pharos.actuator.lb.linode;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.lb.LoadBalancerReport;
import dev.pharos.actuator.lb.LoadBalancerReports;
import dev.pharos.actuator.linode.LinodeClient;
import dev.pharos.actuator.linode.LinodeClients;
import dev.pharos.actuator.linode.LinodeMetrics;
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
 *
 * <p>A permanent error (a revoked token's 401, a missing scope's 403, a NodeBalancer that does not
 * exist) stops the watch, as it stops the DNS and relay updaters: one ERROR line, every region's
 * report carries the reason, and nothing more is asked of Linode until an operator fixes the cause
 * and resumes it by its name ({@code POST /api/v1/actuators/linode-nodebalancers/resume}, {@link
 * #resume()}), apart from the DNS and relay updaters, which have names of their own.
 */
@Singleton
public class NodeBalancerWatch {
    private static final Logger LOG = Logger.getLogger(NodeBalancerWatch.class);

    @Inject Topology topology;
    @Inject LinodeClients clients;
    @Inject LoadBalancerReports reports;
    @Inject Clock clock;
    @Inject LinodeMetrics metrics;

    private final Map<Long, String> labels = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;
    private volatile String stoppedBecause;

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

    /**
     * The name the resume endpoint knows it by, apart from {@code linode-dns} and {@code
     * linode-relay}.
     */
    public String name() {
        return "linode-nodebalancers";
    }

    /** Whether this instance watches NodeBalancers at all (the provider is linode, one is set). */
    public boolean running() {
        return executor != null;
    }

    /** Why a permanent error stopped the watch; empty while it runs. */
    public Optional<String> stoppedBecause() {
        return Optional.ofNullable(stoppedBecause);
    }

    /**
     * Starts the watch again after a permanent error, with a poll at once.
     *
     * @return false if it was not stopped
     */
    public synchronized boolean resume() {
        if (stoppedBecause == null) {
            return false;
        }
        stoppedBecause = null;
        metrics.watchResumed();
        LOG.infof("NodeBalancer watch resumed");
        if (executor != null) {
            executor.execute(this::pollAll);
        }
        return true;
    }

    void pollAll() {
        if (stoppedBecause != null) {
            return;
        }
        LinodeClient client;
        try {
            client = clients.loadBalancer();
        } catch (RuntimeException e) {
            LOG.warnf("cannot read NodeBalancers: %s", e.getMessage());
            return;
        }
        for (Map.Entry<String, Long> nb : nodeBalancers().entrySet()) {
            String region = nb.getKey();
            String stopped = stoppedBecause;
            if (stopped != null) {
                // a permanent error of an earlier region: the others say why they are not read
                reports.put(failed(region, nb.getValue(), reports.get(region), stopped));
                continue;
            }
            reports.put(read(client, region, nb.getValue(), reports.get(region), clock.instant()));
        }
    }

    /** Stops the watch; the reason, as every region's report says it. */
    private synchronized String stop(String why) {
        String message =
                "NodeBalancer watch stopped: "
                        + why
                        + "; fix the cause, then POST /api/v1/actuators/"
                        + name()
                        + "/resume";
        stoppedBecause = message;
        LOG.errorf("%s", message);
        return message;
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
            boolean permanent = e instanceof ActuatorException a && !a.retryable();
            String why =
                    e instanceof ActuatorException
                            ? e.getMessage()
                            : "unexpected " + e.getClass().getSimpleName();
            metrics.watchError(permanent);
            if (permanent) {
                return failed(region, id, previous, stop(why));
            }
            LOG.warnf("reading NodeBalancer %d of region %s failed: %s", id, region, why);
            return failed(region, id, previous, why);
        }
    }

    /** The previous nodes with the error. */
    private LoadBalancerReport failed(
            String region, long id, Optional<LoadBalancerReport> previous, String why) {
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
