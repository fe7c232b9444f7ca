package dev.pharos.domain;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One RRset: a name, a type, a TTL and its values (canonical address text, sorted so that two equal
 * sets compare equal and plans come out in a stable order).
 */
public record RecordSet(RecordKey key, int ttl, SortedSet<String> values) {
    /**
     * The TTL a provider that keeps one row per value reads for an RRset whose rows repeat a value
     * (a half-finished change, a creation applied late, a hand edit). No desired set has it, so the
     * plan always tidies such rows, and the change says it removes duplicates.
     */
    public static final int DUPLICATE_ROWS = -1;

    /** Likewise for rows of one RRset whose TTLs disagree. */
    public static final int MIXED_TTLS = -2;

    public RecordSet {
        values = Collections.unmodifiableSortedSet(new TreeSet<>(values));
    }

    public static RecordSet of(String name, String type, int ttl, Collection<String> values) {
        return new RecordSet(new RecordKey(name, type), ttl, new TreeSet<>(values));
    }

    public RecordSet withValues(Collection<String> newValues) {
        return new RecordSet(key, ttl, new TreeSet<>(newValues));
    }

    public RecordSet withTtl(int newTtl) {
        return new RecordSet(key, newTtl, values);
    }

    @Override
    public String toString() {
        return key + " ttl=" + ttl + " " + values;
    }
}
