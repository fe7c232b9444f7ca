package dev.pharos.probe;

import java.time.Instant;
import java.util.Optional;

/**
 * One probe's outcome: an observation of a target by this vantage point.
 *
 * @param startedAt wall-clock time the probe started (from the injected clock)
 * @param reason empty on success
 * @param detail short human text ("connection refused", "status 503", "body lacks 'ok'")
 * @param status the HTTP status, if one was read
 * @param certNotAfter https: expiry of the leaf certificate the server presented
 */
public record ProbeResult(
        String targetId,
        Instant startedAt,
        Optional<FailureReason> reason,
        String detail,
        PhaseTimings timings,
        Optional<Integer> status,
        Optional<Instant> certNotAfter) {

    public boolean success() {
        return reason.isEmpty();
    }

    public static ProbeResult ok(
            String targetId,
            Instant startedAt,
            String detail,
            PhaseTimings timings,
            Optional<Integer> status,
            Optional<Instant> certNotAfter) {
        return new ProbeResult(
                targetId, startedAt, Optional.empty(), detail, timings, status, certNotAfter);
    }

    public static ProbeResult failed(
            String targetId,
            Instant startedAt,
            FailureReason reason,
            String detail,
            PhaseTimings timings,
            Optional<Integer> status,
            Optional<Instant> certNotAfter) {
        return new ProbeResult(
                targetId, startedAt, Optional.of(reason), detail, timings, status, certNotAfter);
    }
}
