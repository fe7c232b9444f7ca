package dev.pharos.decision;

import static dev.pharos.decision.Fixtures.address;
import static dev.pharos.decision.Fixtures.statuses;
import static dev.pharos.decision.RegionState.DEAD;
import static dev.pharos.decision.RegionState.DEGRADED;
import static dev.pharos.decision.RegionState.DRAINED;
import static dev.pharos.decision.RegionState.HEALTHY;
import static dev.pharos.decision.RegionState.RELAYING;
import static dev.pharos.decision.RegionState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Topology;
import dev.pharos.domain.RecordKey;
import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeciderTest {
    private final MutableClock clock = MutableClock.atEpoch();
    private static final RecordKey CDN = new RecordKey("cdn.example.test", "A");

    private static RecordKey alias(int i) {
        return new RecordKey("r" + i + ".example.test", "A");
    }

    private Decider.Result decide(Topology t, DecisionMemory m, RegionState... states) {
        return Decider.decide(t, statuses(clock.instant(), states), m, clock.instant());
    }

    @Test
    void allHealthyPublishesEveryRegion() {
        Topology t = Fixtures.regions(3, null);
        Decider.Result r = decide(t, DecisionMemory.empty(), HEALTHY, DEGRADED, HEALTHY);
        assertThat(r.desired().records().get(CDN).values())
                .containsExactly(address(1), address(2), address(3));
        assertThat(r.desired().records().get(alias(2)).values()).containsExactly(address(2));
        assertThat(r.desired().guards()).isEmpty();
        assertThat(r.desired().relays().values()).noneMatch(RelayDecision::active);
    }

    @Test
    void aDeadRegionLeavesTheRoundRobinAndItsAliasFallsBack() {
        Topology t = Fixtures.regions(3, null);
        Decider.Result r = decide(t, DecisionMemory.empty(), DEAD, HEALTHY, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2), address(3));
        // r1 falls back to r2 first
        assertThat(r.desired().records().get(alias(1)).values()).containsExactly(address(2));
        assertThat(r.memory().removals())
                .extracting(DecisionMemory.Removal::region)
                .containsExactly("r1");
    }

    @Test
    void aliasSkipsFallbacksThatAreOutToo() {
        Topology t = Fixtures.regions(3, null);
        Decider.Result r = decide(t, DecisionMemory.empty(), DEAD, RELAYING, HEALTHY);
        assertThat(r.desired().records().get(alias(1)).values()).containsExactly(address(3));
    }

    @Test
    void aRelayingRegionRelaysToTheFirstServingFallback() {
        Topology t = Fixtures.regions(3, null);
        Decider.Result r = decide(t, DecisionMemory.empty(), RELAYING, HEALTHY, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2), address(3));
        assertThat(r.desired().relays().get("r1").target()).contains("r2");
        assertThat(r.desired().relays().get("r2").active()).isFalse();
    }

    @Test
    void aDeadRegionDoesNotRelayAndNoOneRelaysToARelayingRegion() {
        Topology t = Fixtures.regions(3, null);
        Decider.Result r = decide(t, DecisionMemory.empty(), RELAYING, RELAYING, HEALTHY);
        assertThat(r.desired().relays().get("r1").target()).contains("r3");
        assertThat(r.desired().relays().get("r2").target()).contains("r3");
        Decider.Result dead = decide(t, DecisionMemory.empty(), DEAD, HEALTHY, HEALTHY);
        assertThat(dead.desired().relays().get("r1").active()).isFalse();
    }

    @Test
    void allRegionsDownFailsOpenAndSaysSo() {
        Topology t = Fixtures.regions(3, "{max-removals: 3}");
        Decider.Result r = decide(t, DecisionMemory.empty(), DEAD, DEAD, DEAD);
        assertThat(r.desired().records().get(CDN).values())
                .containsExactly(address(1), address(2), address(3));
        assertThat(r.desired().records().get(alias(1)).values()).containsExactly(address(1));
        assertThat(r.desired().allRegionsDown()).isTrue();
        assertThat(r.desired().guards()).anyMatch(g -> g.guard() == Guard.NEVER_EMPTY);
        assertThat(r.desired().relays().values()).noneMatch(RelayDecision::active);
    }

    @Test
    void holdDownKeepsARecoveredRegionOutUntilItHasServedLongEnough() {
        Topology t = Fixtures.regions(3, "{hold-down: 60s}");
        Decider.Result dead = decide(t, DecisionMemory.empty(), DEAD, HEALTHY, HEALTHY);
        clock.advance(Duration.ofSeconds(5));
        Decider.Result back = decide(t, dead.memory(), HEALTHY, HEALTHY, HEALTHY);
        assertThat(back.desired().records().get(CDN).values()).doesNotContain(address(1));
        assertThat(back.desired().guards())
                .anyMatch(g -> g.guard() == Guard.HOLD_DOWN && g.region().orElse("").equals("r1"));
        clock.advance(Duration.ofSeconds(59));
        Decider.Result still = decide(t, back.memory(), HEALTHY, HEALTHY, HEALTHY);
        assertThat(still.desired().records().get(CDN).values()).doesNotContain(address(1));
        clock.advance(Duration.ofSeconds(1));
        Decider.Result in = decide(t, still.memory(), HEALTHY, HEALTHY, HEALTHY);
        assertThat(in.desired().records().get(CDN).values()).contains(address(1));
        assertThat(in.desired().guards()).isEmpty();
    }

    @Test
    void aFlappingRegionRestartsItsHoldDown() {
        Topology t = Fixtures.regions(3, "{hold-down: 60s}");
        DecisionMemory m = decide(t, DecisionMemory.empty(), DEAD, HEALTHY, HEALTHY).memory();
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(40));
            m = decide(t, m, HEALTHY, HEALTHY, HEALTHY).memory();
            clock.advance(Duration.ofSeconds(5));
            Decider.Result r = decide(t, m, DEAD, HEALTHY, HEALTHY);
            assertThat(r.desired().records().get(CDN).values()).doesNotContain(address(1));
            m = r.memory();
        }
    }

    @Test
    void whileHeldDownTheRelayKeepsForwarding() {
        Topology t = Fixtures.regions(3, "{hold-down: 60s}");
        DecisionMemory m = decide(t, DecisionMemory.empty(), RELAYING, HEALTHY, HEALTHY).memory();
        clock.advance(Duration.ofSeconds(10));
        Decider.Result r = decide(t, m, HEALTHY, HEALTHY, HEALTHY);
        assertThat(r.desired().relays().get("r1").target()).contains("r2");
        clock.advance(Duration.ofSeconds(60));
        r = decide(t, r.memory(), HEALTHY, HEALTHY, HEALTHY);
        assertThat(r.desired().relays().get("r1").active()).isFalse();
    }

    @Test
    void blastRadiusHoldsBackTheThirdRemovalUntilConfirmed() {
        Topology t = Fixtures.regions(5, null); // max-removals defaults to 3 of 5
        Decider.Result r = decide(t, DecisionMemory.empty(), DEAD, DEAD, DEAD, DEAD, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(4), address(5));
        assertThat(r.desired().guards())
                .filteredOn(g -> g.guard() == Guard.BLAST_RADIUS)
                .singleElement()
                .satisfies(
                        g -> {
                            assertThat(g.region()).contains("r4");
                            assertThat(g.message()).contains("POST /api/v1/plan/confirm");
                        });
        DecisionMemory confirmed =
                new DecisionMemory(
                        r.memory().membership(),
                        r.memory().removals(),
                        Map.of("r4", clock.instant()));
        clock.advance(Duration.ofSeconds(1));
        Decider.Result after = decide(t, confirmed, DEAD, DEAD, DEAD, DEAD, HEALTHY);
        assertThat(after.desired().records().get(CDN).values()).containsExactly(address(5));
        assertThat(after.memory().confirmations()).isEmpty();
    }

    @Test
    void blastRadiusBudgetComesBackWhenTheWindowPasses() {
        Topology t = Fixtures.regions(3, "{max-removals: 1, removal-window: 10m, hold-down: 0s}");
        DecisionMemory m = decide(t, DecisionMemory.empty(), DEAD, HEALTHY, HEALTHY).memory();
        clock.advance(Duration.ofMinutes(1));
        Decider.Result r = decide(t, m, DEAD, DEAD, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).contains(address(2));
        clock.advance(Duration.ofMinutes(10));
        r = decide(t, r.memory(), DEAD, DEAD, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(3));
    }

    /**
     * A region that leaves again counts from its latest departure: r1 left 9 minutes ago, came back
     * and left again just now, so the window still holds two removals (r1, r3) when r2 dies a
     * minute later. Counting r1 from its first departure let it drop out of the window mid-outage
     * and r2 leave too (found by the failover benchmark: an all-dead outage flipped to fail-open).
     */
    @Test
    void aRegionThatLeavesAgainCountsFromItsLatestDeparture() {
        Topology t = Fixtures.regions(3, "{max-removals: 2, removal-window: 10m, hold-down: 0s}");
        DecisionMemory m = decide(t, DecisionMemory.empty(), DEAD, HEALTHY, HEALTHY).memory();
        clock.advance(Duration.ofMinutes(1));
        m = decide(t, m, HEALTHY, HEALTHY, HEALTHY).memory();
        clock.advance(Duration.ofMinutes(8));
        m = decide(t, m, DEAD, HEALTHY, DEAD).memory();
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        Decider.Result r = decide(t, m, DEAD, DEAD, DEAD);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2));
        assertThat(r.desired().guards())
                .filteredOn(g -> g.guard() == Guard.BLAST_RADIUS)
                .singleElement()
                .satisfies(g -> assertThat(g.region()).contains("r2"));
        assertThat(r.desired().allRegionsDown()).isFalse();
    }

    @Test
    void minRegionsKeepsTheLeastBadRegions() {
        Topology t = Fixtures.regions(3, "{min-regions: 2, max-removals: 3}");
        Decider.Result r = decide(t, DecisionMemory.empty(), DEAD, RELAYING, HEALTHY);
        // RELAYING (load balancer alive) is less bad than DEAD
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2), address(3));
        assertThat(r.desired().guards())
                .anyMatch(
                        g -> g.guard() == Guard.MIN_REGIONS && g.region().orElse("").equals("r2"));
    }

    @Test
    void unknownStateKeepsWhatWasDecided() {
        Topology t = Fixtures.regions(3, null);
        DecisionMemory m = decide(t, DecisionMemory.empty(), DEAD, HEALTHY, HEALTHY).memory();
        Decider.Result r = decide(t, m, UNKNOWN, UNKNOWN, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2), address(3));
    }

    @Test
    void aDrainedRegionIsOutLikeADeadOne() {
        Topology t = Fixtures.regions(3, null);
        Decider.Result r = decide(t, DecisionMemory.empty(), DRAINED, HEALTHY, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2), address(3));
        assertThat(r.desired().relays().get("r1").active()).isFalse();
    }

    @Test
    void theDegradedTtlAppliesWhileARegionIsNotHealthy() {
        Topology t =
                dev.pharos.config.ConfigFixtures.topology(
                        """
                        pharos:
                          node: {name: t}
                          regions:
                            a: {load-balancer: {ipv4: 127.0.1.1}}
                            b: {load-balancer: {ipv4: 127.0.2.1}}
                          records:
                            - {name: cdn.example.test, type: round-robin, ttl: 300, degraded-ttl: 30}
                          dns: {zone: example.test}
                        """);
        Map<String, RegionStatus> healthy =
                Map.of(
                        "a",
                        Fixtures.status("a", HEALTHY, clock.instant()),
                        "b",
                        Fixtures.status("b", HEALTHY, clock.instant()));
        Map<String, RegionStatus> degraded =
                Map.of(
                        "a",
                        Fixtures.status("a", DEGRADED, clock.instant()),
                        "b",
                        Fixtures.status("b", HEALTHY, clock.instant()));
        assertThat(
                        Decider.decide(t, healthy, DecisionMemory.empty(), clock.instant())
                                .desired()
                                .records()
                                .get(CDN)
                                .ttl())
                .isEqualTo(300);
        assertThat(
                        Decider.decide(t, degraded, DecisionMemory.empty(), clock.instant())
                                .desired()
                                .records()
                                .get(CDN)
                                .ttl())
                .isEqualTo(30);
    }

    @Test
    void decidingTwiceWithTheSameInputChangesNothing() {
        Topology t = Fixtures.regions(3, null);
        Decider.Result a = decide(t, DecisionMemory.empty(), DEAD, RELAYING, HEALTHY);
        Decider.Result b = decide(t, a.memory(), DEAD, RELAYING, HEALTHY);
        assertThat(b.desired().sameEffect(a.desired())).isTrue();
        assertThat(b.memory()).isEqualTo(a.memory());
    }
}
