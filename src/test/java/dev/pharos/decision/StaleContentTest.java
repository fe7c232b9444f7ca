package dev.pharos.decision;

import static dev.pharos.decision.Fixtures.address;
import static dev.pharos.decision.Fixtures.statuses;
import static dev.pharos.decision.RegionState.DEAD;
import static dev.pharos.decision.RegionState.DEGRADED;
import static dev.pharos.decision.RegionState.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Family;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordKey;
import dev.pharos.observation.ContentState;
import dev.pharos.observation.Health;
import dev.pharos.quorum.ContentVerdict;
import dev.pharos.quorum.Verdict;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Stale content: DEGRADED with its reason, never DEAD; leave-dns through the usual guards. */
class StaleContentTest {
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private static final RecordKey CDN = new RecordKey("cdn.example.test", "A");

    private static ContentVerdict content(ContentState s) {
        return new ContentVerdict(
                "r1", s, "2 of 3 vantage points: vp1: last sync 3h ago", NOW, null, null, Map.of());
    }

    private static Map<String, Verdict> allUp(Region r) {
        Map<String, Verdict> out = new HashMap<>();
        r.targets()
                .forEach(
                        t ->
                                out.put(
                                        t.id(),
                                        new Verdict(t.id(), Health.UP, NOW, 3, 0, 3, 2, "up")));
        return out;
    }

    @Test
    void staleContentMakesAHealthyRegionDegradedWithTheReason() {
        Region r1 = Fixtures.regions(3).topology().regions().get("r1");
        RegionStatus s =
                RegionStates.evaluate(
                        r1,
                        allUp(r1),
                        Optional.empty(),
                        Optional.of(content(ContentState.STALE)),
                        Optional.empty(),
                        NOW);
        assertThat(s.state()).isEqualTo(DEGRADED);
        assertThat(s.reason())
                .isEqualTo("stale content: 2 of 3 vantage points: vp1: last sync 3h ago");
        assertThat(s.family(Family.IPV4).orElseThrow().state()).isEqualTo(DEGRADED);

        RegionStatus fresh =
                RegionStates.evaluate(
                        r1,
                        allUp(r1),
                        Optional.empty(),
                        Optional.of(content(ContentState.LAGGING)),
                        Optional.empty(),
                        NOW);
        assertThat(fresh.state()).isEqualTo(HEALTHY);
    }

    @Test
    void staleContentNeverHidesADeadRegion() {
        Region r1 = Fixtures.regions(3).topology().regions().get("r1");
        Map<String, Verdict> v = allUp(r1);
        String lb = r1.loadBalancerV4().orElseThrow().id();
        v.put(lb, new Verdict(lb, Health.DOWN, NOW, 0, 3, 3, 2, "refused"));
        RegionStatus s =
                RegionStates.evaluate(
                        r1,
                        v,
                        Optional.empty(),
                        Optional.of(content(ContentState.STALE)),
                        Optional.empty(),
                        NOW);
        assertThat(s.state()).isEqualTo(DEAD);
    }

    @Test
    void alertKeepsAStaleRegionInDns() {
        Topology t = Fixtures.regions(3).topology();
        Decider.Result r =
                Decider.decide(
                        t,
                        statuses(NOW, DEGRADED, HEALTHY, HEALTHY),
                        Set.of(),
                        DecisionMemory.empty(),
                        NOW);
        assertThat(r.desired().records().get(CDN).values())
                .containsExactly(address(1), address(2), address(3));
    }

    @Test
    void leaveDnsTakesAStaleRegionOutWithoutSpendingTheBlastRadius() {
        Topology t = Fixtures.regions(3).topology();
        Decider.Result r =
                Decider.decide(
                        t,
                        statuses(NOW, DEGRADED, HEALTHY, HEALTHY),
                        Set.of("r1"),
                        DecisionMemory.empty(),
                        NOW);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2), address(3));
        assertThat(r.memory().removals()).isEmpty();
        // a dead region still fails over: the blast radius was not spent on the stale one
        Decider.Result next =
                Decider.decide(
                        t, statuses(NOW, DEGRADED, DEAD, HEALTHY), Set.of("r1"), r.memory(), NOW);
        assertThat(next.desired().records().get(CDN).values()).containsExactly(address(3));
    }

    @Test
    void leaveDnsYieldsWhenNoOtherRegionServes() {
        Topology t = Fixtures.regions(3).topology();
        Decider.Result r =
                Decider.decide(
                        t,
                        statuses(NOW, DEGRADED, DEAD, DEAD),
                        Set.of("r1"),
                        DecisionMemory.empty(),
                        NOW);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(1));
    }
}
