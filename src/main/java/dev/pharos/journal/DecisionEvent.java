package dev.pharos.journal;

import dev.pharos.decision.DesiredState;
import dev.pharos.decision.Guard;
import dev.pharos.decision.GuardFiring;
import dev.pharos.decision.RelayDecision;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Events of the decision: the desired state, the guards, all regions down. */
public sealed interface DecisionEvent extends Event {

    /**
     * The desired state changed.
     *
     * @param records the RRsets whose desired values changed, by "name/type"
     * @param relays the relays that changed, by region: "target: reason" or "off: reason"
     * @param evidence the regions behind the change (changed, not serving, or all after warm-up)
     */
    record DesiredChanged(
            Map<String, RecordChange> records,
            Map<String, String> relays,
            Map<String, RegionEvidence> evidence,
            String message)
            implements DecisionEvent {

        public DesiredChanged {
            records = Data.ordered(records);
            relays = Data.ordered(relays);
            evidence = Data.ordered(evidence);
        }

        /** The difference from {@code before} to {@code after}. */
        public static DesiredChanged of(
                DesiredState before, DesiredState after, Map<String, RegionEvidence> evidence) {
            Map<String, RecordChange> records = new LinkedHashMap<>();
            after.records()
                    .forEach(
                            (k, v) -> {
                                var old = Optional.ofNullable(before.records().get(k));
                                if (!Objects.equals(old.orElse(null), v)) {
                                    records.put(k.toString(), RecordChange.of(old, v));
                                }
                            });
            Map<String, String> relays = new LinkedHashMap<>();
            after.relays()
                    .forEach(
                            (region, r) -> {
                                RelayDecision old = before.relays().get(region);
                                if (!Objects.equals(old, r)) {
                                    relays.put(
                                            region, r.target().orElse("off") + ": " + r.reason());
                                }
                            });
            return new DesiredChanged(
                    records,
                    relays,
                    evidence,
                    "desired state changed: "
                            + records.keySet()
                            + (relays.isEmpty() ? "" : " relays " + relays.keySet())
                            + (before.leftOutOfGeo().equals(after.leftOutOfGeo())
                                    ? ""
                                    : " left out of geo answers " + after.leftOutOfGeo()));
        }

        @Override
        public EventType type() {
            return EventType.DESIRED_CHANGED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Data.of()
                    .put("records", Data.objects(records, RecordChange::data))
                    .putNonEmpty("relays", relays)
                    .put("evidence", Data.objects(evidence, RegionEvidence::data))
                    .map();
        }

        static DesiredChanged read(Line l) {
            return new DesiredChanged(
                    l.data().objects("records", RecordChange::read),
                    l.data().textMapOrEmpty("relays"),
                    l.data().objects("evidence", RegionEvidence::read),
                    l.message());
        }
    }

    /** A guard started or stopped holding back a region or a record. */
    sealed interface GuardEvent extends DecisionEvent {
        Guard guard();

        /** The region concerned, if one is. */
        Optional<String> region();

        /** The record concerned ("cdn.example.com/A"), if one is. */
        Optional<String> record();

        @Override
        default Optional<String> aboutRegion() {
            return region();
        }

        @Override
        default Map<String, Object> data() {
            return Data.of()
                    .put("guard", guard().label())
                    .putPresent("region", region())
                    .putPresent("record", record())
                    .map();
        }
    }

    /** A guard started holding something back. */
    record GuardFired(Guard guard, Optional<String> region, Optional<String> record, String message)
            implements GuardEvent {

        public static GuardFired of(GuardFiring g) {
            return new GuardFired(
                    g.guard(), g.region(), g.record(), g.guard().label() + ": " + g.message());
        }

        @Override
        public EventType type() {
            return EventType.GUARD_FIRED;
        }

        /** Held-back removals and a fail-open record need a person; the others are routine. */
        @Override
        public Severity severity() {
            return guard == Guard.BLAST_RADIUS || guard == Guard.NEVER_EMPTY
                    ? Severity.CRITICAL
                    : Severity.WARNING;
        }

        static GuardFired read(Line l) {
            return new GuardFired(
                    Guard.parse(l.data().text("guard")),
                    l.data().optionalText("region"),
                    l.data().optionalText("record"),
                    l.message());
        }
    }

    /** A guard no longer holds something back. */
    record GuardCleared(
            Guard guard, Optional<String> region, Optional<String> record, String message)
            implements GuardEvent {

        public static GuardCleared of(GuardFiring g) {
            return new GuardCleared(
                    g.guard(),
                    g.region(),
                    g.record(),
                    g.guard().label()
                            + " no longer holds back "
                            + g.region().or(g::record).orElse("anything"));
        }

        @Override
        public EventType type() {
            return EventType.GUARD_CLEARED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        static GuardCleared read(Line l) {
            return new GuardCleared(
                    Guard.parse(l.data().text("guard")),
                    l.data().optionalText("region"),
                    l.data().optionalText("record"),
                    l.message());
        }
    }

    /** No region qualifies for DNS: every configured address stays published (fail open). */
    record AllRegionsDown(String message) implements DecisionEvent {
        public static AllRegionsDown of() {
            return new AllRegionsDown(
                    "all regions down: every region is DEAD, RELAYING or drained for an address"
                            + " family; every configured address of it is published (fail open)."
                            + " A total outage seen from everywhere is more likely the monitor's"
                            + " problem: check the vantage points' networks.");
        }

        @Override
        public EventType type() {
            return EventType.ALL_REGIONS_DOWN;
        }

        @Override
        public Severity severity() {
            return Severity.CRITICAL;
        }

        @Override
        public Map<String, Object> data() {
            return Map.of();
        }

        static AllRegionsDown read(Line l) {
            return new AllRegionsDown(l.message());
        }
    }

    /** At least one region qualifies for DNS again. */
    record AllRegionsDownResolved(String message) implements DecisionEvent {
        public static AllRegionsDownResolved of() {
            return new AllRegionsDownResolved("at least one region qualifies for DNS again");
        }

        @Override
        public EventType type() {
            return EventType.ALL_REGIONS_DOWN_RESOLVED;
        }

        @Override
        public Severity severity() {
            return Severity.INFO;
        }

        @Override
        public Map<String, Object> data() {
            return Map.of();
        }

        static AllRegionsDownResolved read(Line l) {
            return new AllRegionsDownResolved(l.message());
        }
    }
}
