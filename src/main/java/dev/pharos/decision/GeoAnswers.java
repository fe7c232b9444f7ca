package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.config.GeoMapping;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The answers of a geo record per client location, as pure functions of the record's RRset (the
 * addresses of its regions that are in DNS, after the guards: what every provider publishes and
 * what a client whose location is unknown gets).
 *
 * <ul>
 *   <li>A location's answer walks its ordered list (the mapping's regions, then the first region's
 *       fallback order, only regions the record spans) and takes the first {@code count} regions
 *       whose address of the family is in the RRset, so a region out of DNS (dead, drained, held
 *       down) is skipped. Each family is walked on its own.
 *   <li>When none of them is in the RRset, the location gets the RRset itself: every serving region
 *       of the record (the never-empty rule keeps it from being empty; when no region at all
 *       serves, the RRset holds every configured address and the walk then takes the location's
 *       first region).
 *   <li>An unknown location (no mapping for it) gets the RRset.
 *   <li>A region left out of geo answers (STALE content with {@code content.on-stale: leave-geo})
 *       stays in the RRset but is passed over in the walk like a region out of DNS; only when no
 *       other region of the walk is in DNS does the location get the left-out regions of its walk
 *       that are in DNS (stale content beats none).
 * </ul>
 */
public final class GeoAnswers {
    private GeoAnswers() {}

    /**
     * Why a location gets its answer, and the answer (regions and their addresses).
     *
     * @param candidates the location's walk in order (for an unknown location: the record's
     *     regions)
     * @param skipped the candidates with an address of the family that were passed over because it
     *     is not in DNS or the region is left out of geo answers, in walk order
     */
    public record Answer(
            List<String> regions,
            List<String> addresses,
            String reason,
            List<String> candidates,
            List<String> skipped) {
        public Answer {
            regions = List.copyOf(regions);
            addresses = List.copyOf(addresses);
            candidates = List.copyOf(candidates);
            skipped = List.copyOf(skipped);
        }
    }

    /** The location's ordered walk: its list, then the first region's fallbacks, deduplicated. */
    public static List<String> walk(Topology topology, ManagedRecord r, List<String> head) {
        Set<String> out = new LinkedHashSet<>();
        for (String region : head) {
            if (r.regions().contains(region)) {
                out.add(region);
            }
        }
        if (!head.isEmpty()) {
            Region first = topology.regions().get(head.get(0));
            if (first != null) {
                for (String region : first.fallback()) {
                    if (r.regions().contains(region)) {
                        out.add(region);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The answer for a location whose list is {@code head} (empty: the location is unknown).
     *
     * @param published the record's RRset values for the family (the addresses in DNS)
     */
    public static Answer choose(
            Topology topology,
            ManagedRecord r,
            Family f,
            List<String> head,
            Collection<String> published) {
        return choose(topology, r, f, head, published, Set.of());
    }

    /**
     * The same, passing over the regions of {@code leftOut} (left out of geo answers) unless no
     * other region of the walk is in DNS.
     */
    public static Answer choose(
            Topology topology,
            ManagedRecord r,
            Family f,
            List<String> head,
            Collection<String> published,
            Set<String> leftOut) {
        int count = r.geo().map(GeoMapping::count).orElse(1);
        if (head.isEmpty()) {
            return everyServing(
                    topology,
                    r,
                    f,
                    published,
                    "location unknown: every region in DNS",
                    r.regions(),
                    null);
        }
        List<String> walk = walk(topology, r, head);
        List<String> regions = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        List<String> staleServing = new ArrayList<>();
        for (String region : walk) {
            if (regions.size() >= count) {
                break;
            }
            Optional<String> a = ManagedRecords.address(topology, region, f);
            if (a.isEmpty()) {
                continue; // no address of this family: not a candidate at all
            }
            if (!published.contains(a.get())) {
                skipped.add(region);
            } else if (leftOut.contains(region)) {
                skipped.add(region);
                stale.add(region);
                staleServing.add(region);
            } else {
                regions.add(region);
                addresses.add(a.get());
            }
        }
        List<String> outOfDns = new ArrayList<>(skipped);
        outOfDns.removeAll(stale);
        if (regions.isEmpty() && !staleServing.isEmpty()) {
            // stale content beats none: the left-out regions of the walk that are in DNS
            for (String region : staleServing) {
                if (regions.size() >= count) {
                    break;
                }
                regions.add(region);
                addresses.add(ManagedRecords.address(topology, region, f).orElseThrow());
            }
            String reason =
                    "none of "
                            + walk
                            + " in DNS with fresh content: "
                            + regions
                            + " (stale content)";
            return new Answer(regions, addresses, reason, walk, outOfDns);
        }
        if (regions.isEmpty()) {
            return everyServing(
                    topology,
                    r,
                    f,
                    published,
                    "none of " + walk + " is in DNS: every region in DNS",
                    walk,
                    skipped);
        }
        String reason = "first of " + walk + " in DNS";
        if (!outOfDns.isEmpty()) {
            reason += ", skipping " + outOfDns + " (out of DNS)";
        }
        if (!stale.isEmpty()) {
            reason += ", skipping " + stale + " (stale content)";
        }
        return new Answer(regions, addresses, reason, walk, skipped);
    }

    private static Answer everyServing(
            Topology topology,
            ManagedRecord r,
            Family f,
            Collection<String> published,
            String reason,
            List<String> candidates,
            List<String> walkSkipped) {
        // walkSkipped null: the candidates are every region, skipped when out of DNS
        List<String> skipped = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (String region : r.regions()) {
            Optional<String> a = ManagedRecords.address(topology, region, f);
            if (a.isPresent() && published.contains(a.get())) {
                regions.add(region);
                addresses.add(a.get());
            } else if (a.isPresent() && walkSkipped == null) {
                skipped.add(region);
            }
        }
        return new Answer(
                regions,
                addresses,
                reason,
                candidates,
                walkSkipped == null ? skipped : walkSkipped);
    }

    /**
     * Every location of a geo record that has its own list, by its label ({@code net
     * 198.51.100.0/24}, {@code country DE}, {@code continent EU}) in that order of precedence, then
     * {@code unknown}: its list (empty for unknown).
     */
    public static Map<String, List<String>> locations(ManagedRecord r) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        r.geo()
                .ifPresent(
                        g -> {
                            g.nets().forEach(n -> out.put("net " + n.net(), n.regions()));
                            g.countries().forEach((c, l) -> out.put("country " + c, l));
                            g.continents().forEach((c, l) -> out.put("continent " + c, l));
                        });
        out.put("unknown", List.of());
        return out;
    }

    /**
     * Per location, per family the record has, what the RRsets of {@code records} give: the current
     * answer of every location and why.
     */
    public static Map<String, Map<Family, Answer>> table(
            Topology topology, ManagedRecord r, Map<RecordKey, RecordSet> records) {
        return table(topology, r, records, Set.of());
    }

    /** The same, passing over the regions of {@code leftOut} (left out of geo answers). */
    public static Map<String, Map<Family, Answer>> table(
            Topology topology,
            ManagedRecord r,
            Map<RecordKey, RecordSet> records,
            Set<String> leftOut) {
        Map<String, Map<Family, Answer>> out = new LinkedHashMap<>();
        locations(r)
                .forEach(
                        (label, head) -> {
                            Map<Family, Answer> perFamily = new LinkedHashMap<>();
                            for (Family f : Family.values()) {
                                RecordSet set =
                                        records.get(new RecordKey(r.name(), f.recordType()));
                                if (set != null) {
                                    perFamily.put(
                                            f, choose(topology, r, f, head, set.values(), leftOut));
                                }
                            }
                            out.put(label, perFamily);
                        });
        return out;
    }
}
