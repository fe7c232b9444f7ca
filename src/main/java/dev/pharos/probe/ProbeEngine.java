package dev.pharos.probe;

import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jboss.logging.Logger;

/**
 * Starts probing every target at start-up and stops at shutdown; results go to the {@link
 * ProbeResultSink} (the orchestrator's vote intake).
 */
@Singleton
public class ProbeEngine {
    private static final Logger LOG = Logger.getLogger(ProbeEngine.class);

    @Inject Topology topology;
    @Inject Vertx vertx;
    @Inject Clock clock;
    @Inject ProbeResultSink sink;
    @Inject ContentSink contentSink;

    private Probers probers;
    private ProbeScheduler scheduler;
    private ProbeScheduler contentScheduler;

    void start(@Observes StartupEvent event) {
        probers = new Probers(vertx, clock, topology.sourceAddress());
        scheduler =
                new ProbeScheduler(new VertxTicker(vertx), probers, sink, new SplittableRandom());
        scheduler.start(topology.targets());
        if (topology.content().enabled()) {
            // content checks run on their own interval, over the same connection clients
            contentScheduler =
                    new ProbeScheduler(
                            new VertxTicker(vertx),
                            new ContentProber(
                                    topology.content(), probers.content(), contentSink, clock),
                            (target, result, lag) -> {},
                            new SplittableRandom());
            List<Target> targets = new ArrayList<>();
            topology.content().regions().values().forEach(r -> targets.addAll(r.targets()));
            contentScheduler.start(targets);
        }
        LOG.infof(
                "probing %d targets in %d regions from vantage point %s",
                topology.targets().size(), topology.regions().size(), topology.nodeName());
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.stop();
        }
        if (contentScheduler != null) {
            contentScheduler.stop();
        }
        if (probers != null) {
            probers.close();
        }
    }

    /** A peer's re-probe request: see {@link ProbeScheduler#reprobe}. */
    public ProbeScheduler.Reprobe reprobe(String targetId) {
        return scheduler == null ? ProbeScheduler.Reprobe.UNKNOWN : scheduler.reprobe(targetId);
    }

    /** Probes a target as soon as possible (fast confirmation of an inbound alert). */
    public boolean probeNow(String targetId) {
        return scheduler != null && scheduler.probeNow(targetId);
    }
}
