package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMetrics;
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
import dev.pharos.journal.RelayEvent.RelayIntent;
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
 * every relay and changes only what differs; each change journals its intent before it and its
 * outcome after it, and a change to a relay this step had already set as desired (a reload, a
 * change by hand, found at a resync) says so. A relay that fails does not hold back the others; not
 * applying, the step journals each new plan once instead.
 */
public final class RelayStep implements ReconcileStep {
    private final Topology topology;
    private final RelayActuator actuator;
    private final Journal journal;
    private final RelayMetrics metrics;
    private final ActuatorMetrics up;
    private final Clock clock;
    private final Map<String, RelayState> lastRead = new LinkedHashMap<>();

    /** The target each relay was last set to by this step (empty: off), by region. */
    private final Map<String, Optional<String>> applied = new LinkedHashMap<>();

    private volatile List<RelayChange> lastPlan = List.of();
    private volatile Instant lastReadAt;
    private volatile Instant lastApplyAt;
    private String journaledPlan = "";

    private record Failed(String region, ActuatorException error) {}

    /** Plans for one relay in one run, when its decision keeps changing under the writes. */
    private static final int MAX_REPLANS = 3;

    public RelayStep(
            Topology topology,
            RelayActuator actuator,
            Journal journal,
            RelayMetrics metrics,
            ActuatorMetrics up,
            Clock clock) {
        this.topology = topology;
        this.actuator = actuator;
        this.journal = journal;
        this.metrics = metrics;
        this.up = up;
        this.clock = clock;
        up.registerUp(name());
    }

    /**
     * The provider's configuration name with {@code -relay}: {@code linode-relay}, {@code
     * haproxy-relay}, apart from the DNS actuator of the same provider.
     */
    @Override
    public String name() {
        return actuator.name() + "-relay";
    }

    @Override
    public Outcome run(Run run) throws StepFailure {
        List<RelayChange> plan = new ArrayList<>();
        // asked once, before the first relay is touched: a relay change is one short command
        ActuatorMode mode = run.modeNow();
        List<Failed> failed = new ArrayList<>();
        for (Region region : topology.regions().values()) {
            if (region.relay().isEmpty() || run.desired().relays().get(region.name()) == null) {
                continue;
            }
            try {
                reconcile(region, run, mode).ifPresent(plan::add);
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

    /**
     * One region's relay: read it, then plan and apply against the latest decision, read again
     * after the read and before each write (a read or write that waited, for a rate limit say, must
     * not apply a decision replaced meanwhile). A decision replaced between two writes ends this
     * attempt before the next write and plans again from a new read.
     *
     * @param mode the mode of this pass, decided once before the first relay is touched
     * @return the change planned (applied, when applying), if any
     */
    private Optional<RelayChange> reconcile(Region region, Run run, ActuatorMode mode)
            throws ActuatorException {
        for (int attempt = 1; ; attempt++) {
            RelayState now = read(region);
            Optional<RelayDecision> d = latest(region, run);
            if (d.isEmpty()) {
                return Optional.empty();
            }
            Optional<String> endpoint = d.get().target().flatMap(this::endpoint);
            Optional<RelayChange> change =
                    RelayChange.needed(now, d.get().target(), endpoint, d.get().reason());
            if (mode != ActuatorMode.APPLY) {
                return change;
            }
            if (change.isEmpty() || apply(region, now, change.get(), run)) {
                metrics.forwarding(
                        region.name(), endpoint.isPresent() ? d.get().target().get() : null);
                return change;
            }
            if (attempt >= MAX_REPLANS) {
                throw ActuatorException.retryable(
                        "the relay decision changed "
                                + attempt
                                + " times while it was being applied; trying again",
                        null);
            }
        }
    }

    private RelayState read(Region region) throws ActuatorException {
        RelayState now = actuator.read(region);
        lastReadAt = clock.instant();
        synchronized (lastRead) {
            lastRead.put(region.name(), now);
        }
        return now;
    }

    /** The region's relay decision in the desired state as it is now. */
    private static Optional<RelayDecision> latest(Region region, Run run) {
        return Optional.ofNullable(run.latest().get().relays().get(region.name()));
    }

    /** Whether the latest decision still asks for this change (the same relay target, or off). */
    private static boolean stillWanted(Region region, Run run, RelayChange change) {
        return latest(region, run).map(d -> d.target().equals(change.target())).orElse(false);
    }

    /**
     * Forward target before rotation when turning on; rotation before target when turning off.
     * Before each write the latest decision is read again.
     *
     * @return false if the decision changed before a write: nothing more was written
     */
    private boolean apply(Region region, RelayState now, RelayChange change, Run run)
            throws ActuatorException {
        if (!stillWanted(region, run, change)) {
            return false;
        }
        // the intent first, like a DNS apply's; a change to what this step already set is drift
        boolean drift = change.target().equals(applied.get(region.name()));
        journal.append(RelayIntent.of(change, name(), drift));
        applied.remove(region.name());
        if (change.turnsOn()) {
            if (!now.forwardTo().equals(change.endpoint())) {
                if (!stillWanted(region, run, change)) {
                    return false;
                }
                actuator.setForwardTarget(region, change.endpoint());
            }
            if (!now.inRotation()) {
                if (!stillWanted(region, run, change)) {
                    return false;
                }
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
                if (!stillWanted(region, run, change)) {
                    return false;
                }
                actuator.setInRotation(region, false);
            }
            if (now.forwardTo().isPresent()) {
                if (!stillWanted(region, run, change)) {
                    return false;
                }
                actuator.setForwardTarget(region, Optional.empty());
            }
            journal.append(RelayOff.of(region.name(), name(), change.reason()));
        }
        applied.put(region.name(), change.target());
        read(region);
        return true;
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

    /** A stop names the region whose relay failed, unless the credential failed (every region). */
    private StepFailure permanent(String region, ActuatorException e) {
        up.up(name(), false);
        return new StepFailure(
                e,
                e.credential() ? "relays" : region,
                e.credential() ? Optional.empty() : Optional.of(region),
                (attempt, retryIn) -> List.of(),
                List.of());
    }

    @Override
    public void resumed() {
        up.up(name(), true);
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
                null,
                false,
                null);
    }
}
