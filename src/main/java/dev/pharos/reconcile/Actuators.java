package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMetrics;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.actuator.lb.RelayActuator;
import dev.pharos.actuator.lb.RelayMetrics;
import dev.pharos.config.DnsSettings;
import dev.pharos.config.LoadBalancerSettings;
import dev.pharos.config.Topology;
import dev.pharos.coordination.Coordinator;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.journal.Journal;
import dev.pharos.journal.RegionEvidence;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The actuators this instance drives, chosen by configuration name at start-up (a DNS provider is a
 * CDI bean {@code @Named} after its configuration name, a relay actuator one {@code @Identifier} by
 * it; none or several matching stops start-up). Each runs its own {@link ReconcileLoop} on its own
 * thread, started with the desired state restored from before a restart.
 */
@Singleton
public class Actuators {
    private static final Logger LOG = Logger.getLogger(Actuators.class);

    @Inject Topology topology;
    @Inject @Any Instance<DnsProvider> providers;
    @Inject @Any Instance<RelayActuator> relayActuators;
    @Inject RelayMetrics relayMetrics;
    @Inject Journal journal;
    @Inject ActuatorMetrics metrics;
    @Inject Clock clock;
    @Inject RestoredState restored;
    @Inject Coordinator coordinator;

    private final List<ReconcileLoop<DnsStep>> dns = new CopyOnWriteArrayList<>();
    private final List<ReconcileLoop<RelayStep>> relays = new CopyOnWriteArrayList<>();
    private final List<DnsProvider> withoutLoop = new CopyOnWriteArrayList<>();
    private final List<ScheduledExecutorService> executors = new CopyOnWriteArrayList<>();

    // before the pipeline's first step (default priority): its first desired state is always
    // offered, and an offer made before the loops exist would be lost. After a restart the
    // restored desired state does not change, so nothing would offer it again until the resync.
    void start(@Observes @Priority(2) StartupEvent event) {
        try {
            startRelays();
            startDns();
        } catch (ActuatorException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        // a new writer reads what the providers publish and plans again before its first write;
        // so does the writer whose lease ran short and held a write back, once it is renewed (the
        // round that held it back is not retried otherwise until the next decision or resync)
        coordinator.onElected(
                () -> loops().filter(l -> l.coordinated()).forEach(ReconcileLoop::trigger));
    }

    private void startDns() throws ActuatorException {
        DnsSettings.Provider configured = topology.dns().provider();
        String name = configured.label();
        boolean embedded = configured == DnsSettings.Provider.EMBEDDED;
        if (configured == DnsSettings.Provider.NONE
                || (topology.records().isEmpty() && !embedded)) {
            LOG.infof("no DNS provider: desired records are computed and shown, never published");
            return;
        }
        DnsProvider provider =
                chosen(providers, NamedLiteral.of(name), "pharos.dns.provider", name);
        if (topology.records().isEmpty()) {
            // no managed records, but the embedded server still serves the zone's other records
            provider.start(restored.desired().records());
            withoutLoop.add(provider);
            return;
        }
        // every instance serves its own embedded DNS, whether it actuates or not
        ActuatorMode mode = ActuatorMode.of(embedded || writes(), topology.policy().dryRun());
        LoopSettings settings =
                new LoopSettings(
                        mode,
                        // nothing but this loop changes what the embedded server serves
                        embedded ? Optional.empty() : Optional.of(topology.dns().resyncInterval()),
                        embedded ? () -> true : coordinator::mayStartWrite);
        DnsStep step =
                new DnsStep(
                        provider,
                        ManagedRecords.owned(topology),
                        topology.dns().verifyTimeout(),
                        journal,
                        metrics,
                        clock);
        if (RestartCatchUp.applies(topology)) {
            // silent until the pipeline offers what the cluster decides (docs/QUORUM.md)
            step.silentAtStart();
        }
        ReconcileLoop<DnsStep> loop =
                new ReconcileLoop<>(
                        step, settings, journal, clock, scheduler("pharos-dns-" + name));
        loop.start(restored.desired());
        dns.add(loop);
        LOG.infof("DNS provider %s: %s", name, mode.describe());
    }

    private void startRelays() throws ActuatorException {
        LoadBalancerSettings lb = topology.loadBalancer();
        String name = lb.provider().label();
        boolean any = topology.regions().values().stream().anyMatch(r -> r.relay().isPresent());
        if (lb.provider() == LoadBalancerSettings.Provider.NONE || !any) {
            return;
        }
        RelayActuator actuator =
                chosen(
                        relayActuators,
                        Identifier.Literal.of(name),
                        "pharos.loadbalancer.provider",
                        name);
        ActuatorMode mode = ActuatorMode.of(writes(), topology.policy().dryRun());
        ReconcileLoop<RelayStep> loop =
                new ReconcileLoop<>(
                        new RelayStep(topology, actuator, journal, relayMetrics, metrics, clock),
                        new LoopSettings(
                                mode, Optional.of(lb.resyncInterval()), coordinator::mayStartWrite),
                        journal,
                        clock,
                        scheduler("pharos-relay-" + name));
        loop.start(restored.desired());
        relays.add(loop);
        LOG.infof("relays through %s: %s", name, mode.describe());
    }

    /**
     * Whether this instance may ever write to the external actuators: {@code node.actuate}, or
     * under coordination every instance (the lease decides at each write).
     */
    private boolean writes() {
        return topology.actuate() || coordinator.elected();
    }

    private static <T> T chosen(Instance<T> beans, Annotation qualifier, String key, String name) {
        Instance<T> chosen = beans.select(qualifier);
        if (chosen.isUnsatisfied() || chosen.isAmbiguous()) {
            throw new IllegalStateException(
                    key
                            + ": "
                            + (chosen.isUnsatisfied() ? "no" : "more than one")
                            + " provider named '"
                            + name
                            + "'");
        }
        return chosen.get();
    }

    private LoopScheduler scheduler(String threadName) {
        ScheduledExecutorService ex =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, threadName);
                            t.setDaemon(true);
                            return t;
                        });
        executors.add(ex);
        return LoopScheduler.on(ex);
    }

    void stop(@Observes ShutdownEvent event) {
        executors.forEach(ScheduledExecutorService::shutdownNow);
        loops().forEach(ReconcileLoop::stop);
        withoutLoop.forEach(DnsProvider::stop);
    }

    /**
     * Hands a new desired state to every actuator.
     *
     * @param evidence the regions behind it, by name
     */
    public void offer(DesiredState desired, Map<String, RegionEvidence> evidence) {
        loops().forEach(l -> l.offer(desired, evidence));
    }

    /**
     * Hands a desired state to the DNS actuator only (restart catch-up: the records the peers
     * decide, or the restored ones; relays wait for this instance's own first decision).
     */
    void offerDns(DesiredState desired, Map<String, RegionEvidence> evidence) {
        dns.forEach(l -> l.offer(desired, evidence));
    }

    private Stream<ReconcileLoop<?>> loops() {
        return Stream.concat(dns.stream(), relays.stream());
    }

    public List<ReconcileLoop<DnsStep>> dns() {
        return List.copyOf(dns);
    }

    public List<ReconcileLoop<RelayStep>> relays() {
        return List.copyOf(relays);
    }

    /**
     * Resumes the actuator of this name (each has its own: {@code linode-dns}, {@code
     * linode-relay}) after a permanent error; false if it was not stopped.
     */
    public boolean resume(String name) {
        return loops().filter(l -> l.name().equals(name)).anyMatch(ReconcileLoop::resume);
    }

    /** Resumes the named actuator if it stopped before {@code requested}. */
    public boolean resumeStoppedBefore(String name, Instant requested) {
        return loops().filter(l -> l.name().equals(name))
                .anyMatch(l -> l.resumeIfStoppedBefore(requested));
    }

    public boolean known(String name) {
        return loops().anyMatch(l -> l.name().equals(name));
    }

    /** Every actuator's name, in start order (relays first). */
    public List<String> names() {
        return loops().map(ReconcileLoop::name).toList();
    }

    /**
     * Actuators this instance writes through ({@link ActuatorMode#APPLY}) that a permanent error
     * stopped, in words (readiness). An instance that only plans (it does not actuate, or a dry
     * run) changes nothing through a stopped actuator and stays ready: its stop shows in the
     * status, the journal and {@code pharos_actuator_up}.
     */
    public List<String> stopped() {
        List<String> out = new ArrayList<>();
        loops().filter(l -> l.stopped() && l.mode() == ActuatorMode.APPLY)
                .forEach(l -> out.add(l.name() + ": " + l.stoppedBecause()));
        return out;
    }
}
