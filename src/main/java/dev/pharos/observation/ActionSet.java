package dev.pharos.observation;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The operator actions in force, one entry per key, merged by one rule: the entry with the later
 * {@link Hlc} wins (wall time, then counter, then origin name). Merging is commutative, associative
 * and idempotent, so every vantage point that has seen the same entries holds the same set,
 * whatever order they arrived in. Immutable.
 */
public final class ActionSet {
    /** At most this many entries in a snapshot; more is refused as malformed. */
    public static final int MAX_ENTRIES = 1000;

    private static final int MAX_TEXT = 500;
    private static final ActionSet EMPTY = new ActionSet(Map.of());

    private final Map<String, OperatorAction> entries;

    private ActionSet(Map<String, OperatorAction> entries) {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    public static ActionSet empty() {
        return EMPTY;
    }

    public static ActionSet of(Collection<OperatorAction> actions) {
        return EMPTY.merge(actions).set();
    }

    /**
     * The result of a merge.
     *
     * @param changed the entries that won over what was held, in key order
     */
    public record Merge(ActionSet set, List<OperatorAction> changed) {}

    public Merge merge(Collection<OperatorAction> incoming) {
        Map<String, OperatorAction> next = new TreeMap<>(entries);
        Map<String, OperatorAction> changed = new TreeMap<>();
        for (OperatorAction a : incoming) {
            if (wins(a, next.get(a.key()))) {
                next.put(a.key(), a);
                changed.put(a.key(), a);
            }
        }
        return changed.isEmpty()
                ? new Merge(this, List.of())
                : new Merge(new ActionSet(next), List.copyOf(changed.values()));
    }

    /**
     * Whether {@code candidate} replaces {@code held}: a later timestamp wins; two different
     * entries with the same timestamp (which only a faulty writer makes) are ordered by their
     * content, so that every instance still picks the same one.
     */
    public static boolean wins(OperatorAction candidate, OperatorAction held) {
        if (held == null) {
            return true;
        }
        int c = candidate.hlc().compareTo(held.hlc());
        if (c != 0) {
            return c > 0;
        }
        return !candidate.equals(held) && candidate.toString().compareTo(held.toString()) > 0;
    }

    public Optional<OperatorAction> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Every entry, tombstones included, in key order. */
    public List<OperatorAction> all() {
        return List.copyOf(entries.values());
    }

    /**
     * What takes the region out now: its drain, else the maintenance window in force that ends
     * last.
     */
    public Optional<OperatorAction> drainOf(String region, Instant now) {
        OperatorAction drain = entries.get(OperatorAction.Kind.DRAIN.key(region));
        if (drain != null && drain.drainsAt(now)) {
            return Optional.of(drain);
        }
        return entries.values().stream()
                .filter(a -> a.kind() == OperatorAction.Kind.MAINTENANCE)
                .filter(a -> region.equals(a.region()) && a.drainsAt(now))
                .max(Comparator.comparing(OperatorAction::until));
    }

    /** The next moment after {@code now} at which a drain or maintenance window starts or ends. */
    public Optional<Instant> nextBoundary(Instant now) {
        return entries.values().stream()
                .filter(a -> !a.cleared() && a.until() != null)
                .flatMap(a -> Stream.of(a.start(), a.until()))
                .filter(t -> t.isAfter(now))
                .min(Comparator.naturalOrder());
    }

    /** Maintenance windows in force or announced, by start. */
    public List<OperatorAction> maintenance(Instant now) {
        return entries.values().stream()
                .filter(a -> a.kind() == OperatorAction.Kind.MAINTENANCE)
                .filter(a -> a.drainsAt(now) || a.scheduledAt(now))
                .sorted(Comparator.comparing(OperatorAction::start))
                .toList();
    }

    /**
     * Without the maintenance entries (windows and their tombstones) that ended more than {@code
     * retention} ago: window ids are never reused, and no copy of an ended window can take a region
     * out again. Entries of the other kinds are one per region or actuator and stay.
     */
    public ActionSet purge(Instant now, Duration retention) {
        Instant before = now.minus(retention);
        Map<String, OperatorAction> next = new TreeMap<>(entries);
        next.values()
                .removeIf(
                        a ->
                                a.kind() == OperatorAction.Kind.MAINTENANCE
                                        && a.until() != null
                                        && a.until().isBefore(before));
        return next.size() == entries.size() ? this : new ActionSet(next);
    }

    /** Why an entry from a peer cannot be taken, if it cannot. */
    public static Optional<String> problem(OperatorAction a, Set<String> vantagePoints) {
        if (a == null) {
            return Optional.of("an action is null");
        }
        Optional<OperatorAction.Kind> kind = OperatorAction.Kind.of(a.key());
        if (kind.isEmpty() || a.key().length() > MAX_TEXT) {
            return Optional.of(
                    "action key '"
                            + a.key()
                            + "' is not drain/, maintenance/, confirm/ or resume/<name>");
        }
        String k = "action " + a.key() + ": ";
        if (a.hlc() == null || a.hlc().origin() == null) {
            return Optional.of(k + "hlc with its origin is required");
        }
        if (!vantagePoints.contains(a.hlc().origin())) {
            return Optional.of(k + "origin '" + a.hlc().origin() + "' is not a vantage point");
        }
        if (a.hlc().wall() < 0 || a.hlc().counter() < 0) {
            return Optional.of(k + "hlc must not be negative");
        }
        if (a.start() == null || a.by() == null) {
            return Optional.of(k + "start and by are required");
        }
        for (String text : new String[] {a.region(), a.reason(), a.by()}) {
            if (text != null && text.length() > MAX_TEXT) {
                return Optional.of(k + "a text is longer than " + MAX_TEXT + " characters");
            }
        }
        OperatorAction.Kind kk = kind.get();
        if (kk != OperatorAction.Kind.RESUME && a.region() == null) {
            return Optional.of(k + "region is required");
        }
        if ((kk == OperatorAction.Kind.DRAIN || kk == OperatorAction.Kind.CONFIRM)
                && !Objects.equals(a.region(), a.key().substring(kk.prefix().length()))) {
            return Optional.of(k + "region differs from the key");
        }
        if (!a.cleared()
                && (kk == OperatorAction.Kind.DRAIN || kk == OperatorAction.Kind.MAINTENANCE)
                && (a.until() == null || a.reason() == null)) {
            return Optional.of(k + "reason and until are required");
        }
        return Optional.empty();
    }

    /** The first problem of a list of entries from a peer, if any. */
    public static Optional<String> problem(
            List<OperatorAction> actions, Set<String> vantagePoints) {
        if (actions == null) {
            return Optional.empty();
        }
        if (actions.size() > MAX_ENTRIES) {
            return Optional.of("more than " + MAX_ENTRIES + " actions");
        }
        for (OperatorAction a : actions) {
            Optional<String> p = problem(a, vantagePoints);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActionSet s && s.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.values().toString();
    }
}
