package dev.pharos.probe;

import dev.pharos.config.Target;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * One probe of one target, non-blocking. Implementations open a new connection per probe (a health
 * check must see what a new visitor sees), enforce the target's connect and total timeouts
 * themselves, and never fail the returned future: every failure is a {@link ProbeResult} with a
 * {@link FailureReason}.
 */
public interface Prober {
    Future<ProbeResult> probe(Target target);

    /**
     * One probe with a whole-probe timeout other than the configured one (the target's adaptive
     * timeout, {@link AdaptiveTimeout}). A prober that cannot shorten its timeout waits for the
     * configured one.
     */
    default Future<ProbeResult> probe(Target target, Duration timeout) {
        return probe(target);
    }
}
