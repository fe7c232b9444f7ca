package dev.pharos.decision;

import static dev.pharos.config.Family.IPV4;
import static dev.pharos.config.Family.IPV6;
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
import dev.pharos.testing.TestTopology;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
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
        Topology t = Fixtures.regions(3).topology();
        Decider.Result r = decide(t, DecisionMemory.empty(), HEALTHY, DEGRADED, HEALTHY);
        assertThat(r.desired().records().get(CDN).values())
                .containsExactly(address(1), address(2), address(3));
        assertThat(r.desired().records().get(alias(2)).values()).containsExactly(address(2));
        assertThat(r.desired().guards()).isEmpty();
        assertThat(r.desired().relays().values()).noneMatch(RelayDecision::active);
    }

    @Test
    void aDeadRegionLeavesTheRoundRobinAndItsAliasFallsBack() {
        Topology t = Fixtures.regions(3).topology();
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
        Topology t = Fixtures.regions(3).topology();
        Decider.Result r = decide(t, DecisionMemory.empty(), DEAD, RELAYING, HEALTHY);
        assertThat(r.desired().records().get(alias(1)).values()).containsExactly(address(3));
    }

    @Test
    void aRelayingRegionRelaysToTheFirstServingFallback() {
        Topology t = Fixtures.regions(3).topology();
        Decider.Result r = decide(t, DecisionMemory.empty(), RELAYING, HEALTHY, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2), address(3));
        assertThat(r.desired().relays().get("r1").target()).contains("r2");
        assertThat(r.desired().relays().get("r2").active()).isFalse();
    }

    @Test
    void aDeadRegionDoesNotRelayAndNoOneRelaysToARelayingRegion() {
        Topology t = Fixtures.regions(3).topology();
        Decider.Result r = decide(t, DecisionMemory.empty(), RELAYING, RELAYING, HEALTHY);
        assertThat(r.desired().relays().get("r1").target()).contains("r3");
        assertThat(r.desired().relays().get("r2").target()).contains("r3");
        Decider.Result dead = decide(t, DecisionMemory.empty(), DEAD, HEALTHY, HEALTHY);
        assertThat(dead.desired().relays().get("r1").active()).isFalse();
    }

    @Test
    void allRegionsDownFailsOpenAndSaysSo() {
        Topology t = Fixtures.regions(3).policy("max-removals", 3).topology();
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
        Topology t = Fixtures.regions(3).policy("hold-down", "60s").topology();
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
        Topology t = Fixtures.regions(3).policy("hold-down", "60s").topology();
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
        Topology t = Fixtures.regions(3).policy("hold-down", "60s").topology();
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
        Topology t = Fixtures.regions(5).topology(); // max-removals defaults to 3 of 5
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
        Topology t =
                Fixtures.regions(3)
                        .policy("max-removals", 1)
                        .policy("removal-window", "10m")
                        .policy("hold-down", "0s")
                        .topology();
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
     * and r2 leave too (found by the failover benchmark). r4 still serves: this is not a total
     * outage, which fails open whatever the window holds.
     */
    @Test
    void aRegionThatLeavesAgainCountsFromItsLatestDeparture() {
        Topology t =
                Fixtures.regions(4)
                        .policy("max-removals", 2)
                        .policy("removal-window", "10m")
                        .policy("hold-down", "0s")
                        .topology();
        DecisionMemory m =
                decide(t, DecisionMemory.empty(), DEAD, HEALTHY, HEALTHY, HEALTHY).memory();
        clock.advance(Duration.ofMinutes(1));
        m = decide(t, m, HEALTHY, HEALTHY, HEALTHY, HEALTHY).memory();
        clock.advance(Duration.ofMinutes(8));
        m = decide(t, m, DEAD, HEALTHY, DEAD, HEALTHY).memory();
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        Decider.Result r = decide(t, m, DEAD, DEAD, DEAD, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2), address(4));
        assertThat(r.desired().guards())
                .filteredOn(g -> g.guard() == Guard.BLAST_RADIUS)
                .singleElement()
                .satisfies(g -> assertThat(g.region()).contains("r2"));
        assertThat(r.desired().allRegionsDown()).isFalse();
    }

    @Test
    void minRegionsKeepsTheLeastBadRegions() {
        Topology t =
                Fixtures.regions(3).policy("min-regions", 2).policy("max-removals", 3).topology();
        Decider.Result r = decide(t, DecisionMemory.empty(), DEAD, RELAYING, HEALTHY);
        // RELAYING (load balancer alive) is less bad than DEAD
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2), address(3));
        assertThat(r.desired().guards())
                .anyMatch(
                        g -> g.guard() == Guard.MIN_REGIONS && g.region().orElse("").equals("r2"));
    }

    @Test
    void unknownStateKeepsWhatWasDecided() {
        Topology t = Fixtures.regions(3).topology();
        DecisionMemory m = decide(t, DecisionMemory.empty(), DEAD, HEALTHY, HEALTHY).memory();
        Decider.Result r = decide(t, m, UNKNOWN, UNKNOWN, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2), address(3));
    }

    @Test
    void aDrainedRegionIsOutLikeADeadOne() {
        Topology t = Fixtures.regions(3).topology();
        Decider.Result r = decide(t, DecisionMemory.empty(), DRAINED, HEALTHY, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(2), address(3));
        assertThat(r.desired().relays().get("r1").active()).isFalse();
    }

    @Test
    void theDegradedTtlAppliesWhileARegionIsNotHealthy() {
        Topology t =
                TestTopology.node("t")
                        .region("a", "127.0.1.1")
                        .region("b", "127.0.2.1")
                        .roundRobin("cdn.example.test", 300)
                        .set("pharos.records[0].degraded-ttl", 30)
                        .zone("example.test")
                        .topology();
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
        Topology t = Fixtures.regions(3).topology();
        Decider.Result a = decide(t, DecisionMemory.empty(), DEAD, RELAYING, HEALTHY);
        Decider.Result b = decide(t, a.memory(), DEAD, RELAYING, HEALTHY);
        assertThat(b.desired().sameEffect(a.desired())).isTrue();
        assertThat(b.memory()).isEqualTo(a.memory());
    }

    /**
     * Every region dead reads as one, whatever the order of the deaths: every configured address
     * (fail open, never-empty), all-regions-down, and no blast-radius guard, at the defaults
     * (max-removals 2 of 3). The guard used to hold the last region to die, so DNS answered only
     * that one and all-regions-down stayed false.
     */
    @Test
    void everyRegionDeadReadsAsOneWhateverTheOrderOfDeaths() {
        Topology t = Fixtures.regions(3).topology();
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int[] order : orders) {
            MutableClock c = MutableClock.atEpoch();
            RegionState[] states = {HEALTHY, HEALTHY, HEALTHY};
            DecisionMemory m = DecisionMemory.empty();
            Decider.Result r = null;
            for (int i : order) {
                c.advance(Duration.ofSeconds(30));
                states[i] = DEAD;
                r = Decider.decide(t, statuses(c.instant(), states), m, c.instant());
                m = r.memory();
            }
            assertThat(r.desired().records().get(CDN).values())
                    .as(Arrays.toString(order))
                    .containsExactly(address(1), address(2), address(3));
            assertThat(r.desired().allRegionsDown()).isTrue();
            assertThat(r.desired().guards()).noneMatch(g -> g.guard() == Guard.BLAST_RADIUS);
            for (int i = 1; i <= 3; i++) {
                assertThat(r.desired().records().get(alias(i)).values())
                        .containsExactly(address(i));
            }
            // the first region back serves alone at once: nothing else in DNS serves, so its
            // hold-down yields; the next one back waits out its hold-down
            c.advance(Duration.ofSeconds(30));
            states[order[0]] = HEALTHY;
            r = Decider.decide(t, statuses(c.instant(), states), m, c.instant());
            assertThat(r.desired().records().get(CDN).values())
                    .containsExactly(address(order[0] + 1));
            assertThat(r.desired().allRegionsDown()).isFalse();
            c.advance(Duration.ofSeconds(30));
            states[order[1]] = HEALTHY;
            r = Decider.decide(t, statuses(c.instant(), states), r.memory(), c.instant());
            assertThat(r.desired().records().get(CDN).values())
                    .containsExactly(address(order[0] + 1));
            assertThat(r.desired().guards()).anyMatch(g -> g.guard() == Guard.HOLD_DOWN);
        }
    }

    /**
     * Three single-region outages one after another, each region back in DNS before the next dies:
     * all three fail over at the defaults (max-removals 2 of 3, a 10-minute window). A region back
     * in DNS spends no blast-radius budget; it used to count for the whole window, and the third
     * region stayed in DNS while dead.
     */
    @Test
    void threeSequentialSingleRegionOutagesAllFailOver() {
        Topology t = Fixtures.regions(3).topology();
        DecisionMemory m = DecisionMemory.empty();
        RegionState[] states = {HEALTHY, HEALTHY, HEALTHY};
        for (int i = 0; i < 3; i++) {
            states[i] = DEAD;
            Decider.Result r = decide(t, m, states);
            assertThat(r.desired().records().get(CDN).values())
                    .as("r" + (i + 1) + " dead")
                    .doesNotContain(address(i + 1))
                    .hasSize(2);
            assertThat(r.desired().guards()).isEmpty();
            clock.advance(Duration.ofMinutes(1));
            states[i] = HEALTHY;
            m = decide(t, r.memory(), states).memory();
            clock.advance(Duration.ofSeconds(61)); // past the 60 s hold-down
            r = decide(t, m, states);
            assertThat(r.desired().records().get(CDN).values())
                    .as("r" + (i + 1) + " back")
                    .containsExactly(address(1), address(2), address(3));
            m = r.memory();
            clock.advance(Duration.ofMinutes(1));
        }
    }

    /** A drain is an operator's decision: it never waits for the blast radius nor spends it. */
    @Test
    void drainsAreNeverHeldBackAndSpendNoBudget() {
        Topology t = Fixtures.regions(3).policy("max-removals", 1).topology();
        Decider.Result r = decide(t, DecisionMemory.empty(), DEAD, HEALTHY, HEALTHY);
        clock.advance(Duration.ofSeconds(10));
        r = decide(t, r.memory(), DEAD, DRAINED, HEALTHY);
        assertThat(r.desired().records().get(CDN).values()).containsExactly(address(3));
        assertThat(r.desired().guards()).noneMatch(g -> g.guard() == Guard.BLAST_RADIUS);
        Decider.Result drainedFirst = decide(t, DecisionMemory.empty(), DRAINED, HEALTHY, HEALTHY);
        clock.advance(Duration.ofSeconds(10));
        Decider.Result dead = decide(t, drainedFirst.memory(), DRAINED, DEAD, HEALTHY);
        assertThat(dead.desired().records().get(CDN).values()).containsExactly(address(3));
        assertThat(dead.memory().removals())
                .extracting(DecisionMemory.Removal::region)
                .containsExactly("r2");
    }

    /**
     * A dual-stack region in DNS and serving for IPv4 keeps its own traffic while only its IPv6
     * address is held down; it used to relay everything to its fallback.
     */
    @Test
    void aDualStackRegionInDnsForIpv4DoesNotRelayWhileOnlyIpv6IsHeldDown() {
        Topology t = Fixtures.dualStack(3).policy("hold-down", "60s").topology();
        Function<RegionState, Map<String, RegionStatus>> r1v6 =
                v6 -> {
                    Map<String, RegionStatus> s = new LinkedHashMap<>();
                    s.put(
                            "r1",
                            Fixtures.status(
                                    "r1", Map.of(IPV4, HEALTHY, IPV6, v6), clock.instant()));
                    s.put("r2", dual("r2", HEALTHY));
                    s.put("r3", dual("r3", HEALTHY));
                    return s;
                };
        DecisionMemory m =
                Decider.decide(t, r1v6.apply(DEAD), DecisionMemory.empty(), clock.instant())
                        .memory();
        clock.advance(Duration.ofSeconds(10));
        Decider.Result r = Decider.decide(t, r1v6.apply(HEALTHY), m, clock.instant());
        assertThat(r.desired().records().get(CDN).values()).contains(address(1));
        assertThat(r.desired().records().get(new RecordKey("cdn.example.test", "AAAA")).values())
                .doesNotContain(Fixtures.ipv6(1));
        assertThat(r.desired().guards()).anyMatch(g -> g.guard() == Guard.HOLD_DOWN);
        assertThat(r.desired().relays().get("r1").active()).isFalse();
    }

    private RegionStatus dual(String region, RegionState state) {
        return Fixtures.status(region, Map.of(IPV4, state, IPV6, state), clock.instant());
    }

    /**
     * A relay's reason is free text: a RELAYING region going from 1 of 3 to 0 of 3 backends is the
     * same desired state (it used to re-offer everything to every actuator).
     */
    @Test
    void aRelayReasonAloneIsNotANewDesiredState() {
        Topology t = Fixtures.regions(3).topology();
        Map<String, RegionStatus> one = statuses(clock.instant(), RELAYING, HEALTHY, HEALTHY);
        Decider.Result a = Decider.decide(t, one, DecisionMemory.empty(), clock.instant());
        Map<String, RegionStatus> none = new LinkedHashMap<>(one);
        RegionStatus r1 = one.get("r1");
        none.put(
                "r1",
                new RegionStatus(
                        "r1",
                        RELAYING,
                        r1.families(),
                        0,
                        3,
                        "0 of 3 backends UP, fewer than min-backends 1, relay UP",
                        r1.since()));
        Decider.Result b = Decider.decide(t, none, a.memory(), clock.instant());
        assertThat(b.desired().relays().get("r1").reason())
                .isNotEqualTo(a.desired().relays().get("r1").reason());
        assertThat(b.desired().sameEffect(a.desired())).isTrue();
    }
}
