package dev.pharos.actuator.dns;

import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Plans as pure diffs of published vs desired RRsets (ExternalDNS's plan, octoDNS's contract). Only
 * keys in {@code desired} are owned; anything else published is never touched. The order is
 * deterministic (by key).
 */
public final class DnsPlanner {
    private DnsPlanner() {}

    public static DnsPlan plan(
            Map<RecordKey, RecordSet> published, Map<RecordKey, RecordSet> desired) {
        List<DnsChange> changes = new ArrayList<>();
        for (RecordKey key : new TreeSet<>(desired.keySet())) {
            RecordSet want = desired.get(key);
            Optional<RecordSet> have = Optional.ofNullable(published.get(key));
            if (have.isPresent() && have.get().equals(want)) {
                continue;
            }
            Optional<RecordSet> after =
                    want.values().isEmpty() ? Optional.empty() : Optional.of(want);
            if (have.isEmpty() && after.isEmpty()) {
                continue;
            }
            changes.add(new DnsChange(key, have, after));
        }
        return new DnsPlan(changes);
    }
}
