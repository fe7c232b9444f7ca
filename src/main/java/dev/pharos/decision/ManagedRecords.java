package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.config.IpLiterals;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.ToIntFunction;

/**
 * The RRsets of the managed names, as pure functions of which regions are in.
 *
 * <ul>
 *   <li>A round-robin name has an A RRset if any of its regions has an IPv4 load balancer, an AAAA
 *       RRset likewise for IPv6; each holds the addresses of the regions that are in.
 *   <li>An alias name has the RRsets of its primary's families; each holds the address of the first
 *       region in (primary, then the primary's fallback order) that is in for that family and has
 *       an address of it.
 * </ul>
 */
public final class ManagedRecords {
    private ManagedRecords() {}

    /** Every RRset Pharos owns, whatever the state. */
    public static Set<RecordKey> owned(Topology topology) {
        Set<RecordKey> out = new TreeSet<>();
        for (ManagedRecord r : topology.records()) {
            for (Family f : Family.values()) {
                if (!configured(topology, r, f).isEmpty()) {
                    out.add(new RecordKey(r.name(), f.recordType()));
                }
            }
        }
        return out;
    }

    /**
     * The RRsets when {@code in} says which regions are in, per family.
     *
     * @param ttl the TTL to use for each record (the TTL policy decides it)
     */
    public static Map<RecordKey, RecordSet> build(
            Topology topology, BiPredicate<String, Family> in, ToIntFunction<ManagedRecord> ttl) {
        Map<RecordKey, RecordSet> out = new TreeMap<>();
        for (ManagedRecord r : topology.records()) {
            for (Family f : Family.values()) {
                if (configured(topology, r, f).isEmpty()) {
                    continue;
                }
                RecordKey key = new RecordKey(r.name(), f.recordType());
                List<String> values = new ArrayList<>();
                if (r.spans()) {
                    for (String region : r.regions()) {
                        if (in.test(region, f)) {
                            address(topology, region, f).ifPresent(values::add);
                        }
                    }
                } else {
                    for (String region : aliasChain(topology, r)) {
                        Optional<String> a = address(topology, region, f);
                        if (a.isPresent() && in.test(region, f)) {
                            values.add(a.get());
                            break;
                        }
                    }
                }
                out.put(key, RecordSet.of(r.name(), f.recordType(), ttl.applyAsInt(r), values));
            }
        }
        return out;
    }

    /** Every configured address of the record's family: round-robin all, alias the primary's. */
    public static List<String> configured(Topology topology, ManagedRecord r, Family f) {
        List<String> out = new ArrayList<>();
        List<String> regions = r.spans() ? r.regions() : List.of(r.primary());
        for (String region : regions) {
            address(topology, region, f).ifPresent(out::add);
        }
        return out;
    }

    /** Fail-open records: every configured address, at the normal TTL. */
    public static Map<RecordKey, RecordSet> failOpen(Topology topology) {
        return build(topology, (region, f) -> true, ManagedRecord::ttl);
    }

    /**
     * The records saved before a restart, filtered through the current configuration: only keys
     * still owned, and in each only addresses the record may still hold (an address no longer
     * configured is dropped, so a restart never re-publishes it). A key added since, or one left
     * empty by the filter, fails open. With nothing saved, every configured address.
     */
    public static Map<RecordKey, RecordSet> restore(
            Topology topology, Collection<RecordSet> saved) {
        Map<RecordKey, RecordSet> failOpen = failOpen(topology);
        Map<RecordKey, Set<String>> allowed = new TreeMap<>();
        for (ManagedRecord r : topology.records()) {
            for (Family f : Family.values()) {
                List<String> regions = r.spans() ? r.regions() : aliasChain(topology, r);
                Set<String> addresses = new TreeSet<>();
                regions.forEach(region -> address(topology, region, f).ifPresent(addresses::add));
                allowed.put(new RecordKey(r.name(), f.recordType()), addresses);
            }
        }
        Map<RecordKey, RecordSet> out = new TreeMap<>();
        for (RecordSet r : saved) {
            if (!failOpen.containsKey(r.key())) {
                continue;
            }
            List<String> kept = r.values().stream().filter(allowed.get(r.key())::contains).toList();
            if (!kept.isEmpty()) {
                out.put(r.key(), r.withValues(kept));
            }
        }
        failOpen.forEach(out::putIfAbsent);
        return out;
    }

    /** The alias's primary, then the primary's fallback order. */
    public static List<String> aliasChain(Topology topology, ManagedRecord r) {
        List<String> chain = new ArrayList<>();
        chain.add(r.primary());
        chain.addAll(topology.regions().get(r.primary()).fallback());
        return chain;
    }

    static Optional<String> address(Topology topology, String region, Family f) {
        Region r = topology.regions().get(region);
        return r == null
                ? Optional.empty()
                : r.loadBalancer(f).map(Target::address).map(IpLiterals::toText);
    }
}
