package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.lb.RelayActuator;
import dev.pharos.actuator.lb.RelayState;
import dev.pharos.config.Region;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Relays kept in memory: every call is recorded, and the test can queue errors for the next calls
 * or reset a relay as a reloaded load balancer would.
 */
final class FakeRelays implements RelayActuator {
    private final Map<String, RelayState> relays = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Deque<ActuatorException>> errors = new HashMap<>();
    private final Map<String, Runnable> during = new HashMap<>();

    @Override
    public String name() {
        return "fake-lb";
    }

    @Override
    public synchronized RelayState read(Region region) throws ActuatorException {
        call(region, "read");
        return state(region.name());
    }

    @Override
    public synchronized void setForwardTarget(Region region, Optional<String> endpoint)
            throws ActuatorException {
        call(region, "forward", endpoint.orElse("-"));
        RelayState s = state(region.name());
        relays.put(
                region.name(), new RelayState(region.name(), s.inRotation(), endpoint, Map.of()));
    }

    @Override
    public synchronized void setInRotation(Region region, boolean inRotation)
            throws ActuatorException {
        call(region, "rotation", String.valueOf(inRotation));
        RelayState s = state(region.name());
        relays.put(
                region.name(), new RelayState(region.name(), inRotation, s.forwardTo(), Map.of()));
    }

    private void call(Region region, String... call) throws ActuatorException {
        calls.add(call[0] + " " + region.name() + (call.length > 1 ? " " + call[1] : ""));
        Runnable meanwhile = during.remove(call[0] + " " + region.name());
        if (meanwhile != null) {
            meanwhile.run();
        }
        Deque<ActuatorException> next = errors.get(region.name());
        if (next != null && !next.isEmpty()) {
            throw next.poll();
        }
    }

    /** The next calls about the region's relay fail with these errors, one each. */
    synchronized void failNext(String region, ActuatorException... next) {
        errors.computeIfAbsent(region, r -> new ArrayDeque<>()).addAll(List.of(next));
    }

    /**
     * Runs {@code meanwhile} during the next such call ({@code "read europe"}, {@code "forward
     * europe"}, {@code "rotation europe"}), as if the call took long (a rate limit's wait).
     */
    synchronized void during(String call, Runnable meanwhile) {
        during.put(call, meanwhile);
    }

    /** A reload of the region's load balancer: its relay is out of rotation again. */
    synchronized void reload(String region) {
        relays.remove(region);
    }

    synchronized RelayState state(String region) {
        return relays.getOrDefault(
                region, new RelayState(region, false, Optional.empty(), Map.of()));
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized void clearCalls() {
        calls.clear();
    }
}
