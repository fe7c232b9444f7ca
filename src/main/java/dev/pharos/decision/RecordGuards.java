package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.RecordKind;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The guards that work on records:
 *
 * <ul>
 *   <li><b>never-empty</b>: a record for which no region qualifies keeps every configured address
 *       (fail open): a total outage seen from everywhere is more likely the monitor's problem, and
 *       an empty answer helps no one;
 *   <li><b>min-regions</b>: a round-robin record never holds fewer than {@code min-regions} regions
 *       (or all it spans, if fewer); the least-bad missing ones are kept.
 * </ul>
 */
final class RecordGuards {
    private RecordGuards() {}

    record Outcome(Map<RecordKey, RecordSet> records, List<GuardFiring> guards, boolean anyEmpty) {}

    static Outcome apply(
            Topology topology, Map<RecordKey, RecordSet> raw, Map<String, RegionStatus> statuses) {
        Map<RecordKey, RecordSet> out = new TreeMap<>(raw);
        List<GuardFiring> guards = new ArrayList<>();
        boolean anyEmpty = false;
        int minRegions = topology.policy().minRegions();
        for (ManagedRecord r : topology.records()) {
            for (Family f : Family.values()) {
                RecordKey key = new RecordKey(r.name(), f.recordType());
                RecordSet set = out.get(key);
                if (set == null) {
                    continue;
                }
                List<String> configured = ManagedRecords.configured(topology, r, f);
                if (set.values().isEmpty()) {
                    anyEmpty = true;
                    out.put(key, set.withValues(configured));
                    guards.add(
                            GuardFiring.record(
                                    Guard.NEVER_EMPTY,
                                    key.toString(),
                                    "no region qualifies for "
                                            + key
                                            + "; publishing every configured address "
                                            + configured
                                            + " (fail open)"));
                    continue;
                }
                if (r.kind() != RecordKind.ROUND_ROBIN) {
                    continue;
                }
                int need = Math.min(minRegions, configured.size());
                if (set.values().size() >= need) {
                    continue;
                }
                TreeSet<String> values = new TreeSet<>(set.values());
                List<String> candidates = new ArrayList<>();
                for (String region : r.regions()) {
                    Optional<String> a = ManagedRecords.address(topology, region, f);
                    if (a.isPresent() && !values.contains(a.get())) {
                        candidates.add(region);
                    }
                }
                candidates.sort(
                        Comparator.comparing((String region) -> badness(statuses, region, f))
                                .thenComparing(Comparator.naturalOrder()));
                for (String region : candidates) {
                    if (values.size() >= need) {
                        break;
                    }
                    values.add(ManagedRecords.address(topology, region, f).orElseThrow());
                    RegionState state = badness(statuses, region, f);
                    guards.add(
                            new GuardFiring(
                                    Guard.MIN_REGIONS,
                                    Optional.of(region),
                                    Optional.of(key.toString()),
                                    "keeping "
                                            + region
                                            + " ("
                                            + state
                                            + ") in "
                                            + key
                                            + " to publish at least "
                                            + need
                                            + " regions"));
                }
                out.put(key, set.withValues(values));
            }
        }
        return new Outcome(out, guards, anyEmpty);
    }

    private static RegionState badness(
            Map<String, RegionStatus> statuses, String region, Family f) {
        RegionStatus s = statuses.get(region);
        return s == null
                ? RegionState.UNKNOWN
                : s.family(f).map(FamilyStatus::state).orElse(RegionState.UNKNOWN);
    }
}
