package dev.pharos.actuator.dns;

import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One RRset's change: what is published now ({@code before}, empty if the name has no such RRset)
 * and what should be ({@code after}, empty to delete the RRset).
 */
public record DnsChange(RecordKey key, Optional<RecordSet> before, Optional<RecordSet> after) {

    public SortedSet<String> removed() {
        SortedSet<String> out =
                new TreeSet<>(before.map(RecordSet::values).orElse(new TreeSet<>()));
        after.ifPresent(a -> out.removeAll(a.values()));
        return out;
    }

    public SortedSet<String> added() {
        SortedSet<String> out = new TreeSet<>(after.map(RecordSet::values).orElse(new TreeSet<>()));
        before.ifPresent(b -> out.removeAll(b.values()));
        return out;
    }

    public boolean ttlChanged() {
        return before.isPresent() && after.isPresent() && before.get().ttl() != after.get().ttl();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(key.toString());
        if (!removed().isEmpty()) {
            s.append(" -").append(removed());
        }
        if (!added().isEmpty()) {
            s.append(" +").append(added());
        }
        if (ttlChanged()) {
            int was = before.get().ttl();
            if (was == RecordSet.DUPLICATE_ROWS) {
                // the values stay; rows that repeat one of them go (not a TTL change)
                s.append(" remove duplicate rows");
            } else if (was == RecordSet.MIXED_TTLS) {
                s.append(" make the rows' TTLs agree at ").append(after.get().ttl());
            } else {
                s.append(" ttl ").append(was).append("->").append(after.get().ttl());
            }
        }
        return s.toString();
    }
}
