package dev.pharos.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Family;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.RecordKind;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Properties that hold for every combination of region states, checked exhaustively for three and
 * five regions (6^3 and 6^5 combinations), under a permissive policy (no blast-radius limit) and
 * under the defaults.
 */
class DecisionPropertiesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @ParameterizedTest(name = "{0} regions, max-removals {1}, min-regions {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "default",
            value = {
                "3|3|default",
                "5|5|default",
                "3|default|default",
                "5|default|default",
                "5|default|2"
            })
    void everyCombinationOfRegionStatesKeepsTheInvariants(
            int n, Integer maxRemovals, Integer minRegions) {
        Topology t =
                Fixtures.regions(n)
                        .policy("max-removals", maxRemovals)
                        .policy("min-regions", minRegions)
                        .topology();
        boolean permissive = maxRemovals != null && maxRemovals == n;
        RegionState[] all = RegionState.values();
        int combos = (int) Math.pow(all.length, n);
        for (int c = 0; c < combos; c++) {
            RegionState[] states = new RegionState[n];
            for (int i = 0, x = c; i < n; i++, x /= all.length) {
                states[i] = all[x % all.length];
            }
            Map<String, RegionStatus> statuses = Fixtures.statuses(NOW, states);
            Decider.Result r = Decider.decide(t, statuses, DecisionMemory.empty(), NOW);
            check(t, statuses, r.desired(), permissive, java.util.Arrays.toString(states));
        }
    }

    private static void check(
            Topology t,
            Map<String, RegionStatus> statuses,
            DesiredState d,
            boolean permissive,
            String combo) {
        Map<String, String> regionOf = new HashMap<>();
        for (int i = 1; i <= t.regions().size(); i++) {
            regionOf.put(Fixtures.address(i), "r" + i);
        }
        Set<String> guarded = new HashSet<>();
        d.guards().forEach(g -> g.region().ifPresent(guarded::add));
        boolean anyServing = statuses.values().stream().anyMatch(s -> s.state().serving());
        for (ManagedRecord rec : t.records()) {
            RecordSet set = d.records().get(new RecordKey(rec.name(), "A"));
            List<String> configured = new ArrayList<>();
            if (rec.kind() == RecordKind.ROUND_ROBIN) {
                configured.addAll(ManagedRecords.configured(t, rec, Family.IPV4));
            } else {
                ManagedRecords.aliasChain(t, rec)
                        .forEach(
                                r ->
                                        configured.add(
                                                Fixtures.address(
                                                        Integer.parseInt(r.substring(1)))));
            }
            assertThat(set.values()).as(combo + " " + rec.name() + " never empty").isNotEmpty();
            assertThat(configured)
                    .as(combo + " " + rec.name() + " subset")
                    .containsAll(set.values());
            if (rec.kind() == RecordKind.ROUND_ROBIN && anyServing) {
                for (String a : set.values()) {
                    String region = regionOf.get(a);
                    RegionState state = statuses.get(region).state();
                    // UNKNOWN keeps the previous membership (here: in, from an empty memory)
                    boolean ok =
                            state.serving()
                                    || state == RegionState.UNKNOWN
                                    || (!permissive && guarded.contains(region));
                    assertThat(ok)
                            .as(
                                    combo
                                            + ": "
                                            + region
                                            + " published while "
                                            + statuses.get(region).state())
                            .isTrue();
                }
            }
            if (rec.kind() == RecordKind.ALIAS) {
                List<String> chain = ManagedRecords.aliasChain(t, rec);
                boolean healthyInChain =
                        chain.stream().anyMatch(r -> statuses.get(r).state().serving());
                String target = regionOf.get(set.values().first());
                if (healthyInChain && permissive) {
                    RegionState state = statuses.get(target).state();
                    assertThat(state.serving() || state == RegionState.UNKNOWN)
                            .as(combo + ": alias " + rec.name() + " points at " + target)
                            .isTrue();
                }
            }
        }
        // relays: never target a non-serving region, and the forwarding graph has no cycle
        Map<String, String> edges = new HashMap<>();
        for (RelayDecision relay : d.relays().values()) {
            relay.target()
                    .ifPresent(
                            target -> {
                                assertThat(statuses.get(target).state().serving())
                                        .as(combo + ": relay " + relay.region() + " -> " + target)
                                        .isTrue();
                                edges.put(relay.region(), target);
                            });
        }
        for (String start : edges.keySet()) {
            List<String> path = new ArrayList<>(List.of(start));
            String at = start;
            while (edges.containsKey(at)) {
                at = edges.get(at);
                assertThat(path)
                        .as(combo + ": relay cycle " + path + " -> " + at)
                        .doesNotContain(at);
                path.add(at);
            }
            assertThat(path.size()).as(combo + ": at most one relay hop").isLessThanOrEqualTo(2);
        }
    }
}
