package dev.pharos.journal;

import dev.pharos.observation.OperatorAction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What operators did, through any vantage point's API: drains, maintenance windows, confirmations
 * of removals the blast-radius guard held back, resumes. Each is journaled on every vantage point
 * that takes it, with its {@code origin}: the vantage point whose API took it.
 */
public sealed interface OperatorEvent extends Event {

    /** An operator drained a region until a time. */
    record DrainSet(
            String region, Instant until, String reason, String by, String origin, String message)
            implements OperatorEvent {

        public static DrainSet of(OperatorAction a) {
            return new DrainSet(
                    a.region(),
                    a.until(),
                    a.reason(),
                    a.by(),
                    a.origin(),
                    "region "
                            + a.region()
                            + " drained until "
                            + a.until()
                            + ": "
                            + a.reason()
                            + through(a));
        }

        @Override
        public EventType type() {
            return EventType.DRAIN_SET;
        }

        @Override
        public Severity severity() {
            return Severity.WARNING;
        }

        @Override
        public Optional<String> aboutRegion() {
            return Optional.of(region);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("until", until.toString())
                    .put("reason", reason)
                    .put("by", by)
                    .putPresent("origin", Optional.ofNullable(origin))
                    .map();
        }

        static DrainSet read(Line l) {
            return new DrainSet(
                    l.requireRegion(),
                    l.data().instant("until"),
                    l.data().text("reason"),
                    l.data().text("by"),
                    l.data().optionalText("origin").orElse(null),
                    l.message());
        }
    }

    /** An operator removed a region's drain. */
    record DrainRemoved(String region, String by, String origin, String message)
            implements OperatorEvent {
        public static DrainRemoved of(OperatorAction clear) {
            return new DrainRemoved(
                    clear.region(),
                    clear.by(),
                    clear.origin(),
                    "drain of region "
                            + clear.region()
                            + " removed by "
                            + clear.by()
                            + through(clear));
        }

        @Override
        public EventType type() {
            return EventType.DRAIN_REMOVED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Optional<String> aboutRegion() {
            return Optional.of(region);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("by", by).putPresent("origin", Optional.ofNullable(origin)).map();
        }

        static DrainRemoved read(Line l) {
            return new DrainRemoved(
                    l.requireRegion(),
                    l.data().text("by"),
                    l.data().optionalText("origin").orElse(null),
                    l.message());
        }
    }

    /** A drain's time was up. */
    record DrainExpired(String region, String reason, String message) implements OperatorEvent {
        public static DrainExpired of(OperatorAction a) {
            return new DrainExpired(
                    a.region(),
                    a.reason(),
                    "drain of region " + a.region() + " expired at " + a.until());
        }

        @Override
        public EventType type() {
            return EventType.DRAIN_EXPIRED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Optional<String> aboutRegion() {
            return Optional.of(region);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("reason", reason).map();
        }

        static DrainExpired read(Line l) {
            return new DrainExpired(l.requireRegion(), l.data().text("reason"), l.message());
        }
    }

    /** An operator confirmed removals the blast-radius guard held back. */
    record Confirmed(List<String> regions, String by, String origin, String message)
            implements OperatorEvent {
        public Confirmed {
            regions = List.copyOf(regions);
        }

        public static Confirmed of(List<String> regions, String by, String origin) {
            return new Confirmed(
                    regions,
                    by,
                    origin,
                    by
                            + " confirmed the removal of "
                            + String.join(", ", regions)
                            + " beyond the blast-radius limit"
                            + (origin == null ? "" : " through " + origin));
        }

        @Override
        public EventType type() {
            return EventType.CONFIRMED;
        }

        @Override
        public Severity severity() {
            return Severity.WARNING;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("regions", regions)
                    .put("by", by)
                    .putPresent("origin", Optional.ofNullable(origin))
                    .map();
        }

        static Confirmed read(Line l) {
            return new Confirmed(
                    l.data().texts("regions"),
                    l.data().text("by"),
                    l.data().optionalText("origin").orElse(null),
                    l.message());
        }
    }

    /** An operator announced a maintenance window: the region is out from its start to its end. */
    record MaintenanceScheduled(
            String region,
            String id,
            Instant start,
            Instant end,
            String reason,
            String by,
            String origin,
            String message)
            implements OperatorEvent {

        public static MaintenanceScheduled of(OperatorAction a) {
            return new MaintenanceScheduled(
                    a.region(),
                    a.subject(),
                    a.start(),
                    a.until(),
                    a.reason(),
                    a.by(),
                    a.origin(),
                    "maintenance "
                            + a.subject()
                            + " of region "
                            + a.region()
                            + " from "
                            + a.start()
                            + " to "
                            + a.until()
                            + ": "
                            + a.reason()
                            + through(a));
        }

        @Override
        public EventType type() {
            return EventType.MAINTENANCE_SCHEDULED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Optional<String> aboutRegion() {
            return Optional.of(region);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("id", id)
                    .put("start", start.toString())
                    .put("end", end.toString())
                    .put("reason", reason)
                    .put("by", by)
                    .put("origin", origin)
                    .map();
        }

        static MaintenanceScheduled read(Line l) {
            return new MaintenanceScheduled(
                    l.requireRegion(),
                    l.data().text("id"),
                    l.data().instant("start"),
                    l.data().instant("end"),
                    l.data().text("reason"),
                    l.data().text("by"),
                    l.data().text("origin"),
                    l.message());
        }
    }

    /** An operator cancelled a maintenance window. */
    record MaintenanceCancelled(String region, String id, String by, String origin, String message)
            implements OperatorEvent {

        public static MaintenanceCancelled of(OperatorAction clear) {
            return new MaintenanceCancelled(
                    clear.region(),
                    clear.subject(),
                    clear.by(),
                    clear.origin(),
                    "maintenance "
                            + clear.subject()
                            + " of region "
                            + clear.region()
                            + " cancelled by "
                            + clear.by()
                            + through(clear));
        }

        @Override
        public EventType type() {
            return EventType.MAINTENANCE_CANCELLED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Optional<String> aboutRegion() {
            return Optional.of(region);
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("id", id).put("by", by).put("origin", origin).map();
        }

        static MaintenanceCancelled read(Line l) {
            return new MaintenanceCancelled(
                    l.requireRegion(),
                    l.data().text("id"),
                    l.data().text("by"),
                    l.data().text("origin"),
                    l.message());
        }
    }

    /** An operator asked for a stopped actuator to resume, on every vantage point. */
    record ResumeRequested(String actuator, String by, String origin, String message)
            implements OperatorEvent {

        public static ResumeRequested of(OperatorAction a) {
            return new ResumeRequested(
                    a.subject(),
                    a.by(),
                    a.origin(),
                    a.by() + " asked actuator " + a.subject() + " to resume" + through(a));
        }

        @Override
        public EventType type() {
            return EventType.RESUME_REQUESTED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("actuator", actuator).put("by", by).put("origin", origin).map();
        }

        static ResumeRequested read(Line l) {
            return new ResumeRequested(
                    l.data().text("actuator"),
                    l.data().text("by"),
                    l.data().text("origin"),
                    l.message());
        }
    }

    private static String through(OperatorAction a) {
        return " (through " + a.origin() + ")";
    }
}
