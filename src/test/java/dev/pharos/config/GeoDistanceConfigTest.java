package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.TestTopology;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The distance mode of geo records: the regions' coordinates and the record's mode, validated. */
class GeoDistanceConfigTest {

    private static TestTopology threeRegions() {
        return TestTopology.node("vp1")
                .region("europe", r -> r.ipv4("127.0.1.1"))
                .region("apac", r -> r.ipv4("127.0.2.1"))
                .region("americas", r -> r.ipv4("127.0.3.1"))
                .zone("example.test")
                .geo("www.example.test");
    }

    private static TestTopology located(TestTopology t) {
        return t.set("pharos.regions.europe.latitude", 50.11)
                .set("pharos.regions.europe.longitude", 8.68)
                .set("pharos.regions.apac.latitude", 1.35)
                .set("pharos.regions.apac.longitude", 103.82)
                .set("pharos.regions.americas.latitude", 40.74)
                .set("pharos.regions.americas.longitude", -74.17);
    }

    private static List<ConfigProblem> problems(TestTopology t) {
        try {
            t.topology();
        } catch (InvalidConfigException e) {
            return e.problems();
        }
        return List.of();
    }

    private static GeoMapping mapping(Topology t) {
        return t.records().stream()
                .filter(r -> r.kind() == RecordKind.GEO)
                .findFirst()
                .orElseThrow()
                .geo()
                .orElseThrow();
    }

    @Test
    void mapModeIsTheDefaultAndNeedsNoCoordinates() {
        GeoMapping g = mapping(threeRegions().topology());
        assertThat(g.mode()).isEqualTo(GeoMapping.Mode.MAP);
        assertThat(g.sites()).isEmpty();
        assertThat(mapping(located(threeRegions()).topology()).sites()).isEmpty();
    }

    @Test
    void distanceModeTakesTheRegionsCoordinatesInTheRecordsOrder() {
        GeoMapping g = mapping(located(threeRegions()).lastRecord("mode", "Distance").topology());
        assertThat(g.mode()).isEqualTo(GeoMapping.Mode.DISTANCE);
        assertThat(g.sites())
                .containsExactly(
                        new GeoMapping.Site("americas", 40.74, -74.17),
                        new GeoMapping.Site("apac", 1.35, 103.82),
                        new GeoMapping.Site("europe", 50.11, 8.68));
        // the continent map stays: clients without coordinates fall back to it
        assertThat(g.continents()).containsKeys("EU", "AS", "NA");
    }

    @Test
    void aRegionWithoutCoordinatesStopsADistanceRecordNamingTheKey() {
        List<ConfigProblem> p =
                problems(
                        located(threeRegions())
                                .lastRecord("mode", "distance")
                                .set("pharos.regions.apac.latitude", null)
                                .set("pharos.regions.americas.longitude", null));
        assertThat(p)
                .extracting(ConfigProblem::key)
                .contains("pharos.regions.apac.latitude", "pharos.regions.americas.longitude");
        assertThat(p)
                .filteredOn(x -> x.key().equals("pharos.regions.apac.latitude"))
                .extracting(ConfigProblem::message)
                .anyMatch(m -> m.contains("pharos.records[0]") && m.contains("distance mode"));
    }

    @Test
    void coordinatesOutOfRangeOrAloneAreRefusedNamingTheKey() {
        List<ConfigProblem> p =
                problems(
                        located(threeRegions())
                                .set("pharos.regions.europe.latitude", 90.5)
                                .set("pharos.regions.apac.longitude", -180.01)
                                .set("pharos.regions.americas.longitude", null));
        assertThat(p)
                .extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder(
                        "pharos.regions.europe.latitude",
                        "pharos.regions.apac.longitude",
                        "pharos.regions.americas.longitude");
        assertThat(problems(located(threeRegions()).set("pharos.regions.europe.latitude", -90)))
                .isEmpty();
    }

    @Test
    void anUnknownModeOrAModeOnAnotherKindIsRefused() {
        assertThat(problems(threeRegions().lastRecord("mode", "nearest")))
                .extracting(ConfigProblem::key)
                .containsExactly("pharos.records[0].mode");
        assertThat(
                        problems(
                                threeRegions()
                                        .roundRobin("cdn.example.test")
                                        .lastRecord("mode", "distance")))
                .extracting(ConfigProblem::key)
                .containsExactly("pharos.records[1].mode");
    }
}
