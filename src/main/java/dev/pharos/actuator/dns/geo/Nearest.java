package dev.pharos.actuator.dns.geo;

/**
 * Great-circle distances and the order of sites by distance from a point (distance mode of geo
 * records): pure functions over degrees of latitude and longitude.
 */
public final class Nearest {
    /** The Earth's mean radius (IUGG), in kilometres. */
    public static final double EARTH_RADIUS_KM = 6371.0088;

    private Nearest() {}

    /** The haversine great-circle distance between two points, in kilometres. */
    public static double km(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        double h =
                Math.sin(dp / 2) * Math.sin(dp / 2)
                        + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    /**
     * The indices of the sites, nearest to ({@code lat}, {@code lon}) first; equally distant sites
     * keep their given order.
     *
     * @param lats the sites' latitudes
     * @param lons the sites' longitudes, as many
     */
    public static int[] order(double[] lats, double[] lons, double lat, double lon) {
        int n = lats.length;
        int[] out = new int[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            double k = km(lat, lon, lats[i], lons[i]);
            int j = i;
            while (j > 0 && d[j - 1] > k) { // insertion sort: stable, few sites
                d[j] = d[j - 1];
                out[j] = out[j - 1];
                j--;
            }
            d[j] = k;
            out[j] = i;
        }
        return out;
    }
}
