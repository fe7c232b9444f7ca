package dev.pharos.actuator.dns;

import java.util.List;
import java.util.stream.Collectors;

/** The changes that turn what a provider publishes into the desired records, in key order. */
public record DnsPlan(List<DnsChange> changes) {
    public DnsPlan {
        changes = List.copyOf(changes);
    }

    public boolean hasChanges() {
        return !changes.isEmpty();
    }

    @Override
    public String toString() {
        return changes.isEmpty()
                ? "no changes"
                : changes.stream().map(DnsChange::toString).collect(Collectors.joining("; "));
    }
}
