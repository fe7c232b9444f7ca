package dev.pharos.bench.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Median, p90 (nearest rank) and worst of a list of times. */
public record Stats(int n, double median, double p90, double worst, double best) {
    public static Stats of(List<Double> ms) {
        List<Double> s = new ArrayList<>(ms);
        s.removeIf(d -> d.isNaN());
        if (s.isEmpty()) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        s.sort(null);
        int n = s.size();
        double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        double p90 = s.get((int) Math.ceil(0.9 * n) - 1);
        return new Stats(n, median, p90, s.get(n - 1), s.get(0));
    }

    /** "0.61 / 1.09 / 1.17" in seconds. */
    String seconds() {
        if (n == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%s / %s / %s", s(median), s(p90), s(worst));
    }

    public static String s(double ms) {
        if (Double.isNaN(ms)) {
            return "—";
        }
        double sec = ms / 1000;
        return String.format(Locale.ROOT, sec >= 100 ? "%.0f" : sec >= 10 ? "%.1f" : "%.2f", sec);
    }
}
