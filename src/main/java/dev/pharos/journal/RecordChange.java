package dev.pharos.journal;

import dev.pharos.domain.RecordSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A managed RRset whose desired values changed.
 *
 * @param before the values before (empty for a new RRset)
 */
public record RecordChange(List<String> before, List<String> after, int ttl) {

    public RecordChange {
        before = List.copyOf(before);
        after = List.copyOf(after);
    }

    public static RecordChange of(Optional<RecordSet> before, RecordSet after) {
        return new RecordChange(
                before.map(b -> List.copyOf(b.values())).orElse(List.of()),
                List.copyOf(after.values()),
                after.ttl());
    }

    Map<String, Object> data() {
        return Data.of().put("before", before).put("after", after).put("ttl", ttl).map();
    }

    static RecordChange read(Fields f) {
        return new RecordChange(f.texts("before"), f.texts("after"), f.integer("ttl"));
    }
}
