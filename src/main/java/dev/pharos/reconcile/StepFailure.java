package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.journal.Event;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A step's run failed: the provider's error, where it happened, and the events that tell of it in
 * the step's own terms. The {@link ReconcileLoop} journals them once it knows what follows: a retry
 * (which attempt, after what delay) or a stop.
 */
public final class StepFailure extends Exception {
    /** The events of a failure the loop retries. */
    @FunctionalInterface
    public interface RetryEvents {
        List<Event> of(int attempt, Duration retryIn);
    }

    private final ActuatorException error;
    private final String where;
    private final Optional<String> region;
    private final RetryEvents retrying;
    private final List<Event> stopping;

    /**
     * @param where what failed, for the status ("read", "apply", a region's name)
     * @param region the region whose relay failed, if one did
     * @param retrying the events of a retry
     * @param stopping the events of a stop, before the loop's own {@code ACTUATOR_STOPPED}
     */
    public StepFailure(
            ActuatorException error,
            String where,
            Optional<String> region,
            RetryEvents retrying,
            List<Event> stopping) {
        super(where + ": " + error.getMessage(), error, false, false);
        this.error = error;
        this.where = where;
        this.region = region;
        this.retrying = retrying;
        this.stopping = List.copyOf(stopping);
    }

    public ActuatorException error() {
        return error;
    }

    public String where() {
        return where;
    }

    public Optional<String> region() {
        return region;
    }

    List<Event> retrying(int attempt, Duration retryIn) {
        return retrying.of(attempt, retryIn);
    }

    List<Event> stopping() {
        return stopping;
    }
}
