package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.lb.RelayActuator;
import dev.pharos.actuator.lb.RelayMetrics;
import dev.pharos.actuator.lb.RelayState;
import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.RelayDecision;
import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.journal.Severity;
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
    private final boolean apply;
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
            boolean apply,
            Journal journal,
            RelayMetrics metrics,
            ScheduledExecutorService executor) {
        this.topology = topology;
        this.actuator = actuator;
        this.apply = apply;
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

    /** One step over every region with a relay; true when everything is as desired. */
    public synchronized boolean runOnce() {
        DesiredState want = desired;
        if (stopped || want == null || !apply) {
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
                journal.append(
                        EventType.APPLY_OK,
                        Severity.INFO,
                        null,
                        null,
                        "relay actuator "
                                + actuator.name()
                                + " works again after "
                                + failures
                                + " failed attempts",
                        Map.of("actuator", actuator.name(), "recovered", true));
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
                        EventType.RELAY_ON,
                        Severity.WARNING,
                        region.name(),
                        null,
                        "relay of "
                                + region.name()
                                + " on, forwarding to "
                                + d.target().get()
                                + " ("
                                + endpoint.get()
                                + "): "
                                + d.reason(),
                        Map.of(
                                "target",
                                d.target().get(),
                                "endpoint",
                                endpoint.get(),
                                "actuator",
                                actuator.name()));
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
                journal.append(
                        EventType.RELAY_OFF,
                        Severity.INFO,
                        region.name(),
                        null,
                        "relay of " + region.name() + " off: " + d.reason(),
                        Map.of("actuator", actuator.name()));
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
                    EventType.APPLY_FAILED,
                    Severity.WARNING,
                    region.name(),
                    null,
                    "relay of "
                            + region.name()
                            + " via "
                            + actuator.name()
                            + " failed (attempt "
                            + failures
                            + ", retrying): "
                            + e.getMessage(),
                    Map.of(
                            "actuator",
                            actuator.name(),
                            "retryInMs",
                            Backoff.delay(failures).toMillis()));
            return;
        }
        stopped = true;
        stoppedBecause = e.getMessage();
        journal.append(
                EventType.ACTUATOR_STOPPED,
                Severity.CRITICAL,
                region.name(),
                null,
                "actuator "
                        + actuator.name()
                        + " stopped: "
                        + e.getMessage()
                        + "; fix the cause, then POST /api/v1/actuators/"
                        + actuator.name()
                        + "/resume",
                Map.of("actuator", actuator.name()));
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
            journal.append(
                    EventType.ACTUATOR_RESUMED,
                    Severity.INFO,
                    null,
                    null,
                    "actuator " + actuator.name() + " resumed",
                    Map.of("actuator", actuator.name()));
            trigger();
        }
    }

    public synchronized Map<String, RelayState> lastRead() {
        return Map.copyOf(lastRead);
    }
}
