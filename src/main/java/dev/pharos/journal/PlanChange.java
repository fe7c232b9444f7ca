package dev.pharos.journal;

import dev.pharos.actuator.dns.DnsChange;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.domain.RecordSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One RRset's change in a plan, as the journal keeps it.
 *
 * @param record "cdn.example.com/A"
 * @param ttl the TTL after the change; absent when the RRset is deleted
 */
public record PlanChange(
        String record, List<String> remove, List<String> add, Optional<Integer> ttl) {

    public PlanChange {
        remove = List.copyOf(remove);
        add = List.copyOf(add);
    }

    public static PlanChange of(DnsChange c) {
        return new PlanChange(
                c.key().toString(),
                List.copyOf(c.removed()),
                List.copyOf(c.added()),
                c.after().map(RecordSet::ttl));
    }

    public static List<PlanChange> of(DnsPlan plan) {
        return plan.changes().stream().map(PlanChange::of).toList();
    }

    Map<String, Object> data() {
        return Data.of()
                .put("record", record)
                .put("remove", remove)
                .put("add", add)
                .putPresent("ttl", ttl)
                .map();
    }

    static List<Map<String, Object>> data(List<PlanChange> changes) {
        return changes.stream().map(PlanChange::data).toList();
    }

    static PlanChange read(Fields f) {
        return new PlanChange(
                f.text("record"),
                f.texts("remove"),
                f.texts("add"),
                f.has("ttl") ? Optional.of(f.integer("ttl")) : Optional.empty());
    }
}
