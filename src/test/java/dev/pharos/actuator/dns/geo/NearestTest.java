package dev.pharos.actuator.dns.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Great-circle distances and the order of regions by distance (distance mode). */
class NearestTest {
    // europe: Frankfurt, apac: Singapore, americas: Newark (the order of these arrays)
    private static final double[] LATS = {50.11, 1.35, 40.74};
    private static final double[] LONS = {8.68, 103.82, -74.17};

    @Test
    void distancesAreGreatCircleKilometres() {
        // London - Paris is about 344 km, Frankfurt - Singapore about 10 260 km
        assertThat(Nearest.km(51.5074, -0.1278, 48.8566, 2.3522)).isCloseTo(343.5, within(2.0));
        assertThat(Nearest.km(50.11, 8.68, 1.35, 103.82)).isCloseTo(10_260, within(40.0));
        assertThat(Nearest.km(10, 20, 10, 20)).isZero();
        // across the antimeridian: Fiji - Samoa is short, not around the world
        assertThat(Nearest.km(-18.1, 178.4, -13.8, -171.8)).isLessThan(1_200);
        // antipodes: half the circumference
        assertThat(Nearest.km(0, 0, 0, 180))
                .isCloseTo(Math.PI * Nearest.EARTH_RADIUS_KM, within(1.0));
    }

    @Test
    void sitesAreOrderedNearestFirst() {
        // Singapore itself, Tokyo, Frankfurt, Chicago, Sao Paulo, Sydney (New York a little nearer)
        assertThat(Nearest.order(LATS, LONS, 1.29, 103.85)).containsExactly(1, 0, 2);
        assertThat(Nearest.order(LATS, LONS, 35.68, 139.69)).containsExactly(1, 0, 2);
        assertThat(Nearest.order(LATS, LONS, 50.11, 8.68)).containsExactly(0, 2, 1);
        assertThat(Nearest.order(LATS, LONS, 41.88, -87.63)).containsExactly(2, 0, 1);
        assertThat(Nearest.order(LATS, LONS, -23.55, -46.63)).containsExactly(2, 0, 1);
        assertThat(Nearest.order(LATS, LONS, -33.87, 151.21)).containsExactly(1, 2, 0);
    }

    @Test
    void equallyDistantSitesKeepTheirOrder() {
        double[] lats = {0, 0, 0};
        double[] lons = {10, -10, 10};
        assertThat(Nearest.order(lats, lons, 0, 0)).containsExactly(0, 1, 2);
        assertThat(Nearest.order(new double[0], new double[0], 0, 0)).isEmpty();
    }
}
