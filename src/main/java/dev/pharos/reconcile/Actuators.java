package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorMetrics;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.actuator.lb.RelayActuator;
import dev.pharos.actuator.lb.RelayMetrics;
import dev.pharos.config.DnsSettings;
import dev.pharos.config.LoadBalancerSettings;
import dev.pharos.config.Topology;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * The actuators this instance drives, chosen by configuration name at start-up (a provider is a CDI
 * bean {@code @Named} after its configuration name; none or several matching stops start-up). Each
 * runs its own reconciler thread.
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

    private final List<DnsReconciler> dns = new CopyOnWriteArrayList<>();
    private final List<RelayReconciler> relays = new CopyOnWriteArrayList<>();
    private final List<ScheduledExecutorService> executors = new CopyOnWriteArrayList<>();

    // before the pipeline's first step (default priority): its first desired state is always
    // offered, and an offer made before the reconcilers exist would be lost. After a restart the
    // restored desired state does not change, so nothing would offer it again until the resync.
    void start(@Observes @Priority(2) StartupEvent event) {
        startRelays();
        DnsSettings.Provider configured = topology.dns().provider();
        String name = configured.label();
        if (configured == DnsSettings.Provider.NONE || topology.records().isEmpty()) {
            LOG.infof("no DNS provider: desired records are computed and shown, never published");
            return;
        }
        Instance<DnsProvider> chosen = providers.select(NamedLiteral.of(name));
        if (chosen.isUnsatisfied() || chosen.isAmbiguous()) {
            throw new IllegalStateException(
                    "pharos.dns.provider: "
                            + (chosen.isUnsatisfied() ? "no" : "more than one")
                            + " provider named '"
                            + name
                            + "'");
        }
        DnsProvider provider = chosen.get();
        ScheduledExecutorService ex = executor("pharos-dns-" + name);
        boolean local = configured == DnsSettings.Provider.EMBEDDED;
        ActuatorMode mode =
                ActuatorMode.of(local || topology.actuate(), topology.policy().dryRun());
        DnsReconciler r =
                new DnsReconciler(
                        provider,
                        ManagedRecords.owned(topology),
                        mode,
                        topology.dns().verifyTimeout(),
                        topology.dns().resyncInterval(),
                        journal,
                        metrics,
                        clock,
                        ex);
        dns.add(r);
        if (!local) {
            r.start();
        }
        LOG.infof("DNS provider %s: %s", name, mode.describe());
    }

    private void startRelays() {
        LoadBalancerSettings.Provider configured = topology.loadBalancer().provider();
        String name = configured.label();
        boolean any = topology.regions().values().stream().anyMatch(r -> r.relay().isPresent());
        if (configured == LoadBalancerSettings.Provider.NONE || !any) {
            return;
        }
        Instance<RelayActuator> chosen = relayActuators.select(Identifier.Literal.of(name));
        if (chosen.isUnsatisfied() || chosen.isAmbiguous()) {
            throw new IllegalStateException(
                    "pharos.loadbalancer.provider: "
                            + (chosen.isUnsatisfied() ? "no" : "more than one")
                            + " provider named '"
                            + name
                            + "'");
        }
        ScheduledExecutorService ex = executor("pharos-relay-" + name);
        ActuatorMode mode = ActuatorMode.of(topology.actuate(), topology.policy().dryRun());
        relays.add(new RelayReconciler(topology, chosen.get(), mode, journal, relayMetrics, ex));
        LOG.infof("relays through %s: %s", name, mode.describe());
    }

    private ScheduledExecutorService executor(String threadName) {
        ScheduledExecutorService ex =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, threadName);
                            t.setDaemon(true);
                            return t;
                        });
        executors.add(ex);
        return ex;
    }

    void stop(@Observes ShutdownEvent event) {
        executors.forEach(ScheduledExecutorService::shutdownNow);
    }

    /**
     * Hands a new desired state to every actuator.
     *
     * @param evidence the regions behind it, by name
     */
    public void offer(DesiredState desired, Map<String, RegionEvidence> evidence) {
        dns.forEach(r -> r.offer(desired, evidence));
        relays.forEach(r -> r.offer(desired));
    }

    public List<RelayReconciler> relays() {
        return List.copyOf(relays);
    }

    /** Resumes the named actuator after a permanent error; false if it was not stopped. */
    public boolean resume(String name) {
        for (DnsReconciler r : dns) {
            if (r.name().equals(name) && r.stopped()) {
                r.resume();
                return true;
            }
        }
        for (RelayReconciler r : relays) {
            if (r.name().equals(name) && r.stopped()) {
                r.resume();
                return true;
            }
        }
        return false;
    }

    public boolean known(String name) {
        return dns.stream().anyMatch(r -> r.name().equals(name))
                || relays.stream().anyMatch(r -> r.name().equals(name));
    }

    public List<DnsReconciler> dns() {
        return List.copyOf(dns);
    }

    public Optional<DnsReconciler> dns(String name) {
        return dns.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** Actuators stopped by a permanent error, in words (readiness). */
    public List<String> stopped() {
        List<String> out = new ArrayList<>();
        dns.stream()
                .filter(DnsReconciler::stopped)
                .forEach(r -> out.add(r.name() + ": " + r.status().stoppedBecause()));
        relays.stream()
                .filter(RelayReconciler::stopped)
                .forEach(r -> out.add(r.name() + ": " + r.stoppedBecause()));
        return out;
    }
}
