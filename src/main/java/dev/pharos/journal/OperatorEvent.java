package dev.pharos.journal;

import dev.pharos.decision.Drain;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What operators did: drains, and confirmations of removals the blast-radius guard held back. */
public sealed interface OperatorEvent extends Event {

    /** An operator drained a region until a time. */
    record DrainSet(String region, Instant until, String reason, String by, String message)
            implements OperatorEvent {

        public static DrainSet of(Drain d) {
            return new DrainSet(
                    d.region(),
                    d.until(),
                    d.reason(),
                    d.by(),
                    "region " + d.region() + " drained until " + d.until() + ": " + d.reason());
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
                    .map();
        }

        static DrainSet read(Line l) {
            return new DrainSet(
                    l.requireRegion(),
                    l.data().instant("until"),
                    l.data().text("reason"),
                    l.data().text("by"),
                    l.message());
        }
    }

    /** An operator removed a region's drain. */
    record DrainRemoved(String region, String by, String message) implements OperatorEvent {
        public static DrainRemoved of(String region, String by) {
            return new DrainRemoved(region, by, "drain of region " + region + " removed by " + by);
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
            return Data.of().put("by", by).map();
        }

        static DrainRemoved read(Line l) {
            return new DrainRemoved(l.requireRegion(), l.data().text("by"), l.message());
        }
    }

    /** A drain's time was up. */
    record DrainExpired(String region, String reason, String message) implements OperatorEvent {
        public static DrainExpired of(Drain d) {
            return new DrainExpired(
                    d.region(),
                    d.reason(),
                    "drain of region " + d.region() + " expired at " + d.until());
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
    record Confirmed(List<String> regions, String by, String message) implements OperatorEvent {
        public Confirmed {
            regions = List.copyOf(regions);
        }

        public static Confirmed of(List<String> regions, String by) {
            return new Confirmed(
                    regions,
                    by,
                    by
                            + " confirmed the removal of "
                            + String.join(", ", regions)
                            + " beyond the blast-radius limit");
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
            return Data.of().put("regions", regions).put("by", by).map();
        }

        static Confirmed read(Line l) {
            return new Confirmed(l.data().texts("regions"), l.data().text("by"), l.message());
        }
    }
}
