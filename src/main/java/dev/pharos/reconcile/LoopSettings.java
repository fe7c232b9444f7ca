package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorMode;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * How a {@link ReconcileLoop} runs its step.
 *
 * @param mode whether plans are applied, or only journaled and shown
 * @param resync how often to run although nothing asked for it, to catch drift (a provider changed
 *     behind Pharos's back, a load balancer reloaded); empty when nothing but this loop changes
 *     what the provider serves
 * @param mayWrite whether this instance may write now (coordination); asked before each write
 */
public record LoopSettings(ActuatorMode mode, Optional<Duration> resync, BooleanSupplier mayWrite) {

    /** Settings whose writes are decided by the mode alone. */
    public LoopSettings(ActuatorMode mode, Optional<Duration> resync) {
        this(mode, resync, () -> true);
    }

    public LoopSettings {
        if (resync.isPresent() && (resync.get().isZero() || resync.get().isNegative())) {
            throw new IllegalArgumentException("resync must be positive, got " + resync.get());
        }
    }
}
