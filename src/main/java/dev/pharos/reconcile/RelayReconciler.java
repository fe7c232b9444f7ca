package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.lb.RelayActuator;
import dev.pharos.actuator.lb.RelayMetrics;
import dev.pharos.actuator.lb.RelayState;
import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.RelayDecision;
import dev.pharos.journal.ActuatorEvent.ActuatorResumed;
import dev.pharos.journal.ActuatorEvent.ActuatorStopped;
import dev.pharos.journal.Journal;
import dev.pharos.journal.RelayEvent.RelayFailed;
import dev.pharos.journal.RelayEvent.RelayOff;
import dev.pharos.journal.RelayEvent.RelayOn;
import dev.pharos.journal.RelayEvent.RelayRecovered;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Applies the desired relays through a {@link RelayActuator}: turning a relay on sets its forward
 * target first, then puts it in rotation; turning it off takes it out of rotation first, then
 * clears the target, so a relay in rotation always has somewhere to send traffic. Each step reads
 * the provider's state and changes only what differs (idempotent). Retryable errors back off, a
 * permanent one stops the actuator and raises an event, like the DNS reconciler.
 */
public class RelayReconciler {
    private static final Logger LOG = Logger.getLogger(RelayReconciler.class);

    private final Topology topology;
    private final RelayActuator actuator;
    private final ActuatorMode mode;
    private final Journal journal;
    private final RelayMetrics metrics;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final Map<String, RelayState> lastRead = new LinkedHashMap<>();
    private volatile DesiredState desired;
    private volatile boolean stopped;
    private volatile String stoppedBecause;
    private volatile String lastError;
    private int failures;
    private ScheduledFuture<?> retry;

    public RelayReconciler(
            Topology topology,
            RelayActuator actuator,
            ActuatorMode mode,
            Journal journal,
            RelayMetrics metrics,
            ScheduledExecutorService executor) {
        this.topology = topology;
        this.actuator = actuator;
        this.mode = mode;
        this.journal = journal;
        this.metrics = metrics;
        this.executor = executor;
    }

    public String name() {
        return actuator.name();
    }

    public void offer(DesiredState state) {
        desired = state;
        trigger();
    }

    /** Sets the desired state without triggering a step (tests drive {@link #runOnce}). */
    public void desire(DesiredState state) {
        desired = state;
    }

    public void trigger() {
        if (queued.compareAndSet(false, true)) {
            executor.execute(
                    () -> {
                        queued.set(false);
                        try {
                            if (!runOnce() && !stopped) {
                                scheduleRetry();
                            }
                        } catch (RuntimeException e) {
                            LOG.error("relay reconcile failed unexpectedly", e);
                        }
                    });
        }
    }

    private synchronized void scheduleRetry() {
        if (retry == null || retry.isDone()) {
            retry =
                    executor.schedule(
                            this::trigger,
                            Backoff.delay(failures).toMillis(),
                            TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One step over every region with a relay; true when everything is as desired. Only in {@link
     * ActuatorMode#APPLY}: otherwise relays are left as they are.
     */
    public synchronized boolean runOnce() {
        DesiredState want = desired;
        if (stopped || want == null || mode != ActuatorMode.APPLY) {
            return true;
        }
        boolean allDone = true;
        for (Region region : topology.regions().values()) {
            RelayDecision d = want.relays().get(region.name());
            if (region.relay().isEmpty() || d == null) {
                continue;
            }
            try {
                step(region, d);
            } catch (ActuatorException e) {
                allDone = false;
                failed(region, e);
                if (stopped) {
                    return false;
                }
            }
        }
        if (allDone) {
            if (failures > 0) {
                // every relay is as desired again: that ends the failures (notifications resolve)
                journal.append(RelayRecovered.of(actuator.name(), failures));
            }
            failures = 0;
            lastError = null;
        }
        return allDone;
    }

    private void step(Region region, RelayDecision d) throws ActuatorException {
        RelayState now = actuator.read(region);
        lastRead.put(region.name(), now);
        Optional<String> endpoint = d.target().flatMap(this::endpoint);
        if (endpoint.isPresent()) {
            boolean changed = false;
            if (!now.forwardTo().equals(endpoint)) {
                actuator.setForwardTarget(region, endpoint);
                changed = true;
            }
            if (!now.inRotation()) {
                actuator.setInRotation(region, true);
                changed = true;
            }
            metrics.forwarding(region.name(), d.target().get());
            if (changed) {
                journal.append(
                        RelayOn.of(
                                region.name(),
                                d.target().get(),
                                endpoint.get(),
                                actuator.name(),
                                d.reason()));
            }
        } else {
            boolean changed = false;
            if (now.inRotation()) {
                actuator.setInRotation(region, false);
                changed = true;
            }
            if (now.forwardTo().isPresent()) {
                actuator.setForwardTarget(region, Optional.empty());
                changed = true;
            }
            metrics.forwarding(region.name(), null);
            if (changed) {
                journal.append(RelayOff.of(region.name(), actuator.name(), d.reason()));
            }
        }
        lastRead.put(region.name(), actuator.read(region));
    }

    /** The far region's load balancer, where the relay sends traffic (IPv4 first). */
    private Optional<String> endpoint(String region) {
        Region r = topology.regions().get(region);
        return r == null
                ? Optional.empty()
                : r.loadBalancerV4().or(r::loadBalancerV6).map(Target::endpoint);
    }

    private void failed(Region region, ActuatorException e) {
        lastError = region.name() + ": " + e.getMessage();
        if (e.retryable()) {
            failures++;
            journal.append(
                    RelayFailed.of(
                            region.name(),
                            actuator.name(),
                            failures,
                            Backoff.delay(failures),
                            e.getMessage()));
            return;
        }
        stopped = true;
        stoppedBecause = e.getMessage();
        journal.append(
                ActuatorStopped.of(actuator.name(), Optional.of(region.name()), e.getMessage()));
    }

    public boolean stopped() {
        return stopped;
    }

    public String stoppedBecause() {
        return stoppedBecause;
    }

    public String lastError() {
        return lastError;
    }

    public void resume() {
        if (stopped) {
            stopped = false;
            stoppedBecause = null;
            failures = 0;
            journal.append(ActuatorResumed.of(actuator.name()));
            trigger();
        }
    }

    public synchronized Map<String, RelayState> lastRead() {
        return Map.copyOf(lastRead);
    }
}
