package dev.pharos.journal;

import dev.pharos.actuator.dns.DnsPlan;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A DNS provider's reconciler failed: reading, applying, or seeing the change served everywhere.
 */
public sealed interface DnsFailure extends DnsEvent {

    /**
     * Reading or applying failed.
     *
     * @param changes the plan, when applying failed
     * @param retryInMs when the reconciler tries again; absent after a permanent error
     */
    record ApplyFailed(
            String actuator,
            Phase phase,
            String error,
            Optional<List<PlanChange>> changes,
            Optional<Long> retryInMs,
            Severity severity,
            String message)
            implements DnsFailure {

        /** What the reconciler was doing. */
        public enum Phase {
            READ,
            APPLY;

            public String label() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        public ApplyFailed {
            changes = changes.map(List::copyOf);
        }

        /** A retryable failure; from the fifth attempt on it is critical. */
        public static ApplyFailed retrying(
                String actuator,
                Phase phase,
                String error,
                Optional<DnsPlan> plan,
                int attempt,
                Duration retryIn) {
            return new ApplyFailed(
                    actuator,
                    phase,
                    error,
                    plan.map(PlanChange::of),
                    Optional.of(retryIn.toMillis()),
                    attempt >= 5 ? Severity.CRITICAL : Severity.WARNING,
                    actuator
                            + " "
                            + phase.label()
                            + " failed (attempt "
                            + attempt
                            + ", retrying): "
                            + error);
        }

        public static ApplyFailed permanently(
                String actuator, Phase phase, String error, Optional<DnsPlan> plan) {
            return new ApplyFailed(
                    actuator,
                    phase,
                    error,
                    plan.map(PlanChange::of),
                    Optional.empty(),
                    Severity.CRITICAL,
                    actuator + " " + phase.label() + " failed permanently: " + error);
        }

        @Override
        public EventType type() {
            return EventType.APPLY_FAILED;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("actuator", actuator)
                    .put("phase", phase.label())
                    .put("error", error)
                    .put("retryable", retryInMs.isPresent())
                    .putPresent("changes", changes.map(PlanChange::data))
                    .putPresent("retryInMs", retryInMs)
                    .map();
        }

        static ApplyFailed read(Line l) {
            Fields d = l.data();
            return new ApplyFailed(
                    d.text("actuator"),
                    Phase.valueOf(d.text("phase").toUpperCase(Locale.ROOT)),
                    d.text("error"),
                    d.has("changes")
                            ? Optional.of(d.list("changes", PlanChange::read))
                            : Optional.empty(),
                    d.flag("retryable") ? Optional.of(d.number("retryInMs")) : Optional.empty(),
                    l.severity(),
                    l.message());
        }
    }

    /** Applied, but not every authoritative server served the change in time. */
    record VerifyFailed(String actuator, String message) implements DnsFailure {
        public static VerifyFailed of(String actuator, Duration timeout, String error) {
            return new VerifyFailed(
                    actuator,
                    "applied, but not every server served it within "
                            + timeout.toSeconds()
                            + " s: "
                            + error);
        }

        @Override
        public EventType type() {
            return EventType.APPLY_FAILED;
        }

        @Override
        public Severity severity() {
            return Severity.WARNING;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("actuator", actuator).put("phase", "verify").map();
        }

        static VerifyFailed read(Line l) {
            return new VerifyFailed(l.data().text("actuator"), l.message());
        }
    }
}
