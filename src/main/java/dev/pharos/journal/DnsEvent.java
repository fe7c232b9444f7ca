package dev.pharos.journal;

import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.DnsPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Events of a DNS provider's reconciler: every apply journals its intent before and its outcome
 * after, so an intent without an outcome means the process stopped mid-apply.
 */
public sealed interface DnsEvent extends ActuatorEvent
        permits DnsEvent.ApplyIntent,
                DnsEvent.ApplyOk,
                DnsEvent.ApplyRecovered,
                DnsEvent.Propagated,
                DnsEvent.ApplyInterrupted,
                DnsEvent.Plan,
                DnsFailure {

    /**
     * About to apply a plan.
     *
     * @param regions the evidence the pipeline handed over with the desired state, by region
     */
    record ApplyIntent(
            String actuator,
            List<PlanChange> changes,
            Map<String, RegionEvidence> regions,
            String message)
            implements DnsEvent {

        public ApplyIntent {
            changes = List.copyOf(changes);
            regions = Data.ordered(regions);
        }

        /**
         * @param afterConflict the plan was made again because the RRsets changed since the read
         */
        public static ApplyIntent of(
                String actuator,
                DnsPlan plan,
                boolean afterConflict,
                Map<String, RegionEvidence> regions) {
            return new ApplyIntent(
                    actuator,
                    PlanChange.of(plan),
                    regions,
                    (afterConflict
                                    ? "re-planned after a concurrent change; applying "
                                    : "applying ")
                            + plan);
        }

        @Override
        public EventType type() {
            return EventType.APPLY_INTENT;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("actuator", actuator)
                    .put("changes", PlanChange.data(changes))
                    .put("regions", Data.objects(regions, RegionEvidence::data))
                    .map();
        }

        static ApplyIntent read(Line l) {
            return new ApplyIntent(
                    l.data().text("actuator"),
                    l.data().list("changes", PlanChange::read),
                    l.data().objects("regions", RegionEvidence::read),
                    l.message());
        }
    }

    /** A plan was applied. */
    record ApplyOk(String actuator, List<PlanChange> changes, long tookMs, String message)
            implements DnsEvent {

        public ApplyOk {
            changes = List.copyOf(changes);
        }

        public static ApplyOk of(String actuator, DnsPlan plan, Duration took) {
            return new ApplyOk(
                    actuator,
                    PlanChange.of(plan),
                    took.toMillis(),
                    "applied " + plan + " in " + took.toMillis() + " ms");
        }

        @Override
        public EventType type() {
            return EventType.APPLY_OK;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("actuator", actuator)
                    .put("changes", PlanChange.data(changes))
                    .put("tookMs", tookMs)
                    .map();
        }

        static ApplyOk read(Line l) {
            return new ApplyOk(
                    l.data().text("actuator"),
                    l.data().list("changes", PlanChange::read),
                    l.data().number("tookMs"),
                    l.message());
        }
    }

    /**
     * The provider answers again after failures and already publishes what is desired (an earlier
     * attempt went through): that ends the failures as an apply would.
     */
    record ApplyRecovered(String actuator, String message) implements DnsEvent {
        public static ApplyRecovered of(String actuator, int failures) {
            return new ApplyRecovered(
                    actuator,
                    actuator
                            + " answers again after "
                            + failures
                            + " failed attempts; nothing left to apply");
        }

        @Override
        public EventType type() {
            return EventType.APPLY_OK;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("actuator", actuator)
                    .put("changes", List.of())
                    .put("recovered", true)
                    .map();
        }

        static ApplyRecovered read(Line l) {
            return new ApplyRecovered(l.data().text("actuator"), l.message());
        }
    }

    /** The change was seen where the provider verifies it (the message says where). */
    record Propagated(String actuator, long propagationMs, String message) implements DnsEvent {
        /**
         * @param verified what was checked, in words: "every authoritative server serves the
         *     change", "Linode's record list shows the change (its name servers were not asked)"
         */
        public static Propagated of(String actuator, Duration took, String verified) {
            return new Propagated(
                    actuator, took.toMillis(), verified + " after " + took.toMillis() + " ms");
        }

        @Override
        public EventType type() {
            return EventType.PROPAGATED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("actuator", actuator).put("propagationMs", propagationMs).map();
        }

        static Propagated read(Line l) {
            return new Propagated(
                    l.data().text("actuator"), l.data().number("propagationMs"), l.message());
        }
    }

    /**
     * An apply intent without outcome, found at start: the process stopped mid-apply.
     *
     * @param intent the sequence number of the intent
     */
    record ApplyInterrupted(String actuator, long intent, String message) implements DnsEvent {
        public static ApplyInterrupted of(String actuator, long intent) {
            return new ApplyInterrupted(
                    actuator,
                    intent,
                    "apply "
                            + intent
                            + " was interrupted (the process stopped before its"
                            + " outcome was recorded); the next reconcile re-reads and converges");
        }

        @Override
        public EventType type() {
            return EventType.APPLY_INTERRUPTED;
        }

        @Override
        public Severity severity() {
            return Severity.WARNING;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of().put("intent", intent).put("actuator", actuator).map();
        }

        static ApplyInterrupted read(Line l) {
            return new ApplyInterrupted(
                    l.data().text("actuator"), l.data().number("intent"), l.message());
        }
    }

    /** A plan this instance computed and does not apply (dry run, or not the actuating one). */
    record Plan(String actuator, List<PlanChange> changes, String message) implements DnsEvent {
        public Plan {
            changes = List.copyOf(changes);
        }

        public static Plan of(String actuator, ActuatorMode mode, DnsPlan plan) {
            return new Plan(actuator, PlanChange.of(plan), notApplied(mode) + plan);
        }

        /** Why a plan is not applied, in the words that start its message (relay plans too). */
        static String notApplied(ActuatorMode mode) {
            return switch (mode) {
                case DRY_RUN -> "dry run, not applied: ";
                case PLAN_ONLY -> "not the actuating instance, not applied: ";
                case APPLY -> throw new IllegalArgumentException("an applied plan");
            };
        }

        @Override
        public EventType type() {
            return EventType.PLAN;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("actuator", actuator)
                    .put("changes", PlanChange.data(changes))
                    .map();
        }

        static Plan read(Line l) {
            return new Plan(
                    l.data().text("actuator"),
                    l.data().list("changes", PlanChange::read),
                    l.message());
        }
    }
}
