package dev.pharos.decision;

import static dev.pharos.config.Family.IPV4;
import static dev.pharos.config.Family.IPV6;
import static dev.pharos.decision.RegionState.DEAD;
import static dev.pharos.decision.RegionState.DRAINED;
import static dev.pharos.decision.RegionState.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Family;
import dev.pharos.config.GeoMapping;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.RecordKind;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordKey;
import dev.pharos.testing.MutableClock;
import dev.pharos.testing.TestTopology;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-location answers of a geo record, from region states through the decision. */
class GeoAnswersTest {
    private static final String WWW = "www.example.test";
    private final MutableClock clock = MutableClock.atEpoch();

    /** europe, apac, americas, dual-stack; each falls back to the other two (nearest first). */
    static TestTopology threeRegions() {
        return TestTopology.node("t")
                .region("europe", r -> r.ipv4("127.0.1.1").ipv6("2001:db8::1"))
                .region("apac", r -> r.ipv4("127.0.2.1").ipv6("2001:db8::2"))
                .region("americas", r -> r.ipv4("127.0.3.1").ipv6("2001:db8::3"))
                .set("pharos.regions.europe.fallback", List.of("americas", "apac"))
                .set("pharos.regions.apac.fallback", List.of("europe", "americas"))
                .set("pharos.regions.americas.fallback", List.of("europe", "apac"))
                .geo(WWW)
                .zone("example.test");
    }

    private Map<String, Map<Family, GeoAnswers.Answer>> answers(
            Topology t, Map<String, Map<Family, RegionState>> states) {
        return answers(t, states, Set.of());
    }

    /** The same, with {@code stale} left out of geo answers (on-stale: leave-geo). */
    private Map<String, Map<Family, GeoAnswers.Answer>> answers(
            Topology t, Map<String, Map<Family, RegionState>> states, Set<String> stale) {
        Map<String, RegionStatus> statuses = new LinkedHashMap<>();
        for (String region : t.regions().keySet()) {
            Map<Family, RegionState> s =
                    states.getOrDefault(region, Map.of(IPV4, HEALTHY, IPV6, HEALTHY));
            statuses.put(region, Fixtures.status(region, s, clock.instant()));
        }
        Decider.Result r =
                Decider.decide(
                        t, statuses, Set.of(), stale, DecisionMemory.empty(), clock.instant());
        assertThat(r.desired().leftOutOfGeo()).isEqualTo(stale);
        return GeoAnswers.table(t, record(t), r.desired().records(), r.desired().leftOutOfGeo());
    }

    private static ManagedRecord record(Topology t) {
        return t.records().stream().filter(r -> r.name().equals(WWW)).findFirst().orElseThrow();
    }

    private static Map<Family, RegionState> both(RegionState s) {
        Map<Family, RegionState> m = new EnumMap<>(Family.class);
        m.put(IPV4, s);
        m.put(IPV6, s);
        return m;
    }

    private static List<String> regions(
            Map<String, Map<Family, GeoAnswers.Answer>> a, String location, Family f) {
        return a.get(location).get(f).regions();
    }

    @Test
    void theBuiltInMapSendsEachContinentToItsOwnRegion() {
        Topology t = threeRegions().topology();
        ManagedRecord r = record(t);
        assertThat(r.kind()).isEqualTo(RecordKind.GEO);
        assertThat(r.geo().orElseThrow().continents()).isEqualTo(GeoMapping.THREE_REGIONS);
        var a = answers(t, Map.of());
        assertThat(regions(a, "continent EU", IPV4)).containsExactly("europe");
        assertThat(regions(a, "continent AF", IPV6)).containsExactly("europe");
        assertThat(regions(a, "continent AS", IPV4)).containsExactly("apac");
        assertThat(regions(a, "continent OC", IPV4)).containsExactly("apac");
        assertThat(regions(a, "continent NA", IPV4)).containsExactly("americas");
        assertThat(regions(a, "continent SA", IPV6)).containsExactly("americas");
        assertThat(a.get("continent SA").get(IPV6).addresses()).containsExactly("2001:db8::3");
        // unknown: the round-robin of serving regions, which is also the published RRset
        assertThat(regions(a, "unknown", IPV4)).containsExactly("americas", "apac", "europe");
    }

    @Test
    void aDeadRegionsClientsGoToItsFallbackOrderAndNoOneElseMoves() {
        Topology t = threeRegions().topology();
        var a = answers(t, Map.of("europe", both(DEAD)));
        assertThat(regions(a, "continent EU", IPV4)).containsExactly("americas");
        assertThat(a.get("continent EU").get(IPV4).reason()).contains("skipping [europe]");
        assertThat(regions(a, "continent AS", IPV4)).containsExactly("apac");
        assertThat(regions(a, "continent NA", IPV4)).containsExactly("americas");
        assertThat(regions(a, "unknown", IPV4)).containsExactly("americas", "apac");
    }

    @Test
    void aRegionLeftOutOfGeoStaysInDnsButItsContinentGetsTheNextRegion() {
        Topology t = threeRegions().topology();
        var a = answers(t, Map.of(), Set.of("europe"));
        assertThat(regions(a, "continent EU", IPV4)).containsExactly("americas");
        assertThat(regions(a, "continent EU", IPV6)).containsExactly("americas");
        assertThat(a.get("continent EU").get(IPV4).reason())
                .isEqualTo(
                        "first of [europe, americas, apac] in DNS, skipping [europe] (stale"
                                + " content)");
        assertThat(a.get("continent EU").get(IPV4).skipped()).containsExactly("europe");
        // nobody else moves, and the RRset (unknown locations) still holds the stale region
        assertThat(regions(a, "continent AS", IPV4)).containsExactly("apac");
        assertThat(regions(a, "continent NA", IPV4)).containsExactly("americas");
        assertThat(regions(a, "unknown", IPV4))
                .containsExactlyInAnyOrder("europe", "apac", "americas");
    }

    @Test
    void aStaleRegionAndADeadOneAreSkippedEachWithItsReason() {
        Topology t = threeRegions().topology();
        var a = answers(t, Map.of("americas", both(DEAD)), Set.of("europe"));
        assertThat(regions(a, "continent EU", IPV4)).containsExactly("apac");
        assertThat(a.get("continent EU").get(IPV4).reason())
                .isEqualTo(
                        "first of [europe, americas, apac] in DNS, skipping [americas] (out of"
                                + " DNS), skipping [europe] (stale content)");
        assertThat(a.get("continent EU").get(IPV4).skipped()).containsExactly("europe", "americas");
    }

    @Test
    void aStaleRegionStillAnswersWhenNoOtherRegionOfTheWalkServes() {
        Topology t = threeRegions().topology();
        var a = answers(t, Map.of("americas", both(DEAD), "apac", both(DEAD)), Set.of("europe"));
        // stale content beats none
        assertThat(regions(a, "continent EU", IPV4)).containsExactly("europe");
        assertThat(regions(a, "continent AS", IPV4)).containsExactly("europe");
        assertThat(a.get("continent AS").get(IPV4).reason())
                .isEqualTo(
                        "none of [apac, europe, americas] in DNS with fresh content: [europe]"
                                + " (stale content)");
        assertThat(a.get("continent AS").get(IPV4).skipped()).containsExactly("apac", "americas");
        assertThat(regions(a, "unknown", IPV4)).containsExactly("europe");
    }

    @Test
    void leavingGeoChangesTheDesiredStateWithoutChangingItsRecords() {
        Topology t = threeRegions().topology();
        Map<String, RegionStatus> statuses = new LinkedHashMap<>();
        for (String region : t.regions().keySet()) {
            statuses.put(region, Fixtures.status(region, both(HEALTHY), clock.instant()));
        }
        DesiredState plain =
                Decider.decide(t, statuses, DecisionMemory.empty(), clock.instant()).desired();
        DesiredState stale =
                Decider.decide(
                                t,
                                statuses,
                                Set.of(),
                                Set.of("europe"),
                                DecisionMemory.empty(),
                                clock.instant())
                        .desired();
        assertThat(stale.records()).isEqualTo(plain.records());
        assertThat(stale.sameEffect(plain)).isFalse();
        assertThat(plain.leftOutOfGeo()).isEmpty();
    }

    @Test
    void aDrainedRegionIsSkippedLikeADeadOne() {
        Topology t = threeRegions().topology();
        var a = answers(t, Map.of("apac", both(DRAINED)));
        assertThat(regions(a, "continent AS", IPV4)).containsExactly("europe");
    }

    @Test
    void eachAddressFamilyIsJudgedOnItsOwn() {
        Topology t = threeRegions().topology();
        var a = answers(t, Map.of("europe", Map.of(IPV4, HEALTHY, IPV6, DEAD)));
        assertThat(regions(a, "continent EU", IPV4)).containsExactly("europe");
        assertThat(regions(a, "continent EU", IPV6)).containsExactly("americas");
    }

    @Test
    void twoDeadRegionsLeaveEveryoneOnTheThird() {
        Topology t = threeRegions().topology();
        var a = answers(t, Map.of("europe", both(DEAD), "americas", both(DEAD)));
        for (String continent : List.of("EU", "AF", "AS", "OC", "NA", "SA")) {
            assertThat(regions(a, "continent " + continent, IPV4)).containsExactly("apac");
        }
    }

    @Test
    void everyRegionDeadFailsOpenAndEachLocationGetsItsFirstRegion() {
        Topology t = threeRegions().topology();
        var a =
                answers(
                        t,
                        Map.of("europe", both(DEAD), "apac", both(DEAD), "americas", both(DEAD)));
        // never-empty: the RRset (unknown locations, external providers) holds every address
        assertThat(regions(a, "unknown", IPV4)).containsExactly("americas", "apac", "europe");
        assertThat(regions(a, "continent EU", IPV4)).containsExactly("europe");
        assertThat(regions(a, "continent AS", IPV6)).containsExactly("apac");
    }

    @Test
    void countGivesTheFirstServingRegionsOfTheWalk() {
        Topology t = threeRegions().lastRecord("count", 2).topology();
        var a = answers(t, Map.of());
        assertThat(regions(a, "continent EU", IPV4)).containsExactly("europe", "americas");
        a = answers(t, Map.of("americas", both(DEAD)));
        assertThat(regions(a, "continent EU", IPV4)).containsExactly("europe", "apac");
        assertThat(regions(a, "continent NA", IPV4)).containsExactly("europe", "apac");
    }

    @Test
    void configuredListsNetsAndCountriesComeFirstAndTheFallbackOrderIsTheTail() {
        Topology t =
                threeRegions()
                        .lastRecord("continents.EU", List.of("europe"))
                        .lastRecord("countries.JP", List.of("apac", "americas"))
                        .lastRecord("nets.198.51.100.0/24", List.of("americas"))
                        .topology();
        ManagedRecord r = record(t);
        // a mapping of its own replaces the built-in map
        assertThat(r.geo().orElseThrow().continents()).containsOnlyKeys("EU");
        assertThat(GeoAnswers.locations(r))
                .containsOnlyKeys("net 198.51.100.0/24", "country JP", "continent EU", "unknown");
        var a = answers(t, Map.of("americas", both(DEAD)));
        // americas' tail: europe, then apac
        assertThat(regions(a, "net 198.51.100.0/24", IPV4)).containsExactly("europe");
        assertThat(regions(a, "country JP", IPV4)).containsExactly("apac");
        a = answers(t, Map.of("apac", both(DEAD)));
        // JP lists americas itself before apac's fallbacks
        assertThat(regions(a, "country JP", IPV4)).containsExactly("americas");
    }

    @Test
    void otherRegionNamesHaveNoBuiltInMapAndEveryClientGetsTheRoundRobin() {
        Topology t = Fixtures.regions(3).geo("geo.example.test").topology();
        ManagedRecord r =
                t.records().stream()
                        .filter(x -> x.kind() == RecordKind.GEO)
                        .findFirst()
                        .orElseThrow();
        assertThat(r.geo().orElseThrow().continents()).isEmpty();
        assertThat(GeoAnswers.locations(r)).containsOnlyKeys("unknown");
        Map<String, RegionStatus> statuses =
                Fixtures.statuses(clock.instant(), HEALTHY, DEAD, HEALTHY);
        Decider.Result d = Decider.decide(t, statuses, DecisionMemory.empty(), clock.instant());
        assertThat(d.desired().records().get(new RecordKey("geo.example.test", "A")).values())
                .containsExactly(Fixtures.address(1), Fixtures.address(3));
    }
}
