package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.lb.RelayActuator;
import dev.pharos.actuator.lb.RelayChange;
import dev.pharos.actuator.lb.RelayMetrics;
import dev.pharos.actuator.lb.RelayState;
import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.decision.RelayDecision;
import dev.pharos.journal.Event;
import dev.pharos.journal.Journal;
import dev.pharos.journal.RelayEvent.RelayFailed;
import dev.pharos.journal.RelayEvent.RelayOff;
import dev.pharos.journal.RelayEvent.RelayOn;
import dev.pharos.journal.RelayEvent.RelayPlan;
import dev.pharos.journal.RelayEvent.RelayRecovered;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the desired relays through a {@link RelayActuator}: turning a relay on sets its forward
 * target first, then puts it in rotation; turning it off takes it out of rotation first, then
 * clears the target, so a relay in rotation always has somewhere to send traffic. Each run reads
 * every relay and changes only what differs. A relay that fails does not hold back the others; not
 * applying, the step journals each new plan once instead.
 */
public final class RelayStep implements ReconcileStep {
    private final Topology topology;
    private final RelayActuator actuator;
    private final Journal journal;
    private final RelayMetrics metrics;
    private final Clock clock;
    private final Map<String, RelayState> lastRead = new LinkedHashMap<>();
    private volatile List<RelayChange> lastPlan = List.of();
    private volatile Instant lastReadAt;
    private volatile Instant lastApplyAt;
    private String journaledPlan = "";

    private record Failed(String region, ActuatorException error) {}

    public RelayStep(
            Topology topology,
            RelayActuator actuator,
            Journal journal,
            RelayMetrics metrics,
            Clock clock) {
        this.topology = topology;
        this.actuator = actuator;
        this.journal = journal;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String name() {
        return actuator.name();
    }

    @Override
    public Outcome run(Run run) throws StepFailure {
        List<RelayChange> plan = new ArrayList<>();
        // asked once, before the first relay is touched: a relay change is one short command
        ActuatorMode mode = run.modeNow();
        List<Failed> failed = new ArrayList<>();
        for (Region region : topology.regions().values()) {
            RelayDecision d = run.desired().relays().get(region.name());
            if (region.relay().isEmpty() || d == null) {
                continue;
            }
            Optional<String> endpoint = d.target().flatMap(this::endpoint);
            try {
                RelayState now = read(region);
                Optional<RelayChange> change =
                        RelayChange.needed(now, d.target(), endpoint, d.reason());
                change.ifPresent(plan::add);
                if (mode == ActuatorMode.APPLY) {
                    if (change.isPresent()) {
                        apply(region, now, change.get());
                    }
                    metrics.forwarding(
                            region.name(), endpoint.isPresent() ? d.target().get() : null);
                }
            } catch (ActuatorException e) {
                if (!e.retryable()) {
                    throw permanent(region.name(), e);
                }
                failed.add(new Failed(region.name(), e));
            }
        }
        lastPlan = List.copyOf(plan);
        if (!failed.isEmpty()) {
            throw retrying(failed);
        }
        if (plan.isEmpty()) {
            journaledPlan = "";
            return Outcome.NO_CHANGES;
        }
        if (mode == ActuatorMode.APPLY) {
            journaledPlan = "";
            lastApplyAt = clock.instant();
            return Outcome.APPLIED;
        }
        String key = plan.toString();
        if (!key.equals(journaledPlan)) {
            journaledPlan = key;
            journal.append(RelayPlan.of(name(), mode, plan));
        }
        return mode == ActuatorMode.DRY_RUN ? Outcome.DRY_RUN : Outcome.PLAN_ONLY;
    }

    private RelayState read(Region region) throws ActuatorException {
        RelayState now = actuator.read(region);
        lastReadAt = clock.instant();
        synchronized (lastRead) {
            lastRead.put(region.name(), now);
        }
        return now;
    }

    /** Forward target before rotation when turning on; rotation before target when turning off. */
    private void apply(Region region, RelayState now, RelayChange change) throws ActuatorException {
        if (change.turnsOn()) {
            if (!now.forwardTo().equals(change.endpoint())) {
                actuator.setForwardTarget(region, change.endpoint());
            }
            if (!now.inRotation()) {
                actuator.setInRotation(region, true);
            }
            journal.append(
                    RelayOn.of(
                            region.name(),
                            change.target().orElseThrow(),
                            change.endpoint().orElseThrow(),
                            name(),
                            change.reason()));
        } else {
            if (now.inRotation()) {
                actuator.setInRotation(region, false);
            }
            if (now.forwardTo().isPresent()) {
                actuator.setForwardTarget(region, Optional.empty());
            }
            journal.append(RelayOff.of(region.name(), name(), change.reason()));
        }
        read(region);
    }

    /** The far region's load balancer, where the relay sends traffic (IPv4 first). */
    private Optional<String> endpoint(String region) {
        Region r = topology.regions().get(region);
        return r == null
                ? Optional.empty()
                : r.loadBalancerV4().or(r::loadBalancerV6).map(Target::endpoint);
    }

    /** Every failed relay is journaled; the status shows the last. */
    private StepFailure retrying(List<Failed> failed) {
        Failed last = failed.get(failed.size() - 1);
        return new StepFailure(
                last.error(),
                last.region(),
                Optional.of(last.region()),
                (attempt, retryIn) -> {
                    List<Event> events = new ArrayList<>();
                    for (Failed f : failed) {
                        events.add(
                                RelayFailed.of(
                                        f.region(),
                                        name(),
                                        attempt,
                                        retryIn,
                                        f.error().getMessage()));
                    }
                    return events;
                },
                List.of());
    }

    private StepFailure permanent(String region, ActuatorException e) {
        return new StepFailure(
                e, region, Optional.of(region), (attempt, retryIn) -> List.of(), List.of());
    }

    /** Every relay is as desired again: that ends the failures (notifications resolve). */
    @Override
    public void recovered(int failures, Outcome outcome) {
        journal.append(RelayRecovered.of(name(), failures));
    }

    /** Each relay as last read, by region. */
    public Map<String, RelayState> lastRead() {
        synchronized (lastRead) {
            return Map.copyOf(lastRead);
        }
    }

    @Override
    public StepReport report() {
        return new StepReport(
                null,
                lastPlan.stream().map(RelayChange::toString).toList(),
                lastReadAt,
                lastApplyAt,
                null,
                null);
    }
}
