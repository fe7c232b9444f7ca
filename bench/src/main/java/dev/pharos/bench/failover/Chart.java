package dev.pharos.bench.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Writes the chart's data and draws it with gnuplot (Debian's gnuplot-nox) and {@code
 * bench/failover/chart.gp}: four panels (fault to drop for a refused, a hanging and a 503ing
 * region, and revival to re-add), every trial a dot.
 */
final class Chart {
    private record Panel(String title, Scenario scenario, ToDoubleFunction<Result> value) {}

    private static final List<Panel> PANELS =
            List.of(
                    new Panel(
                            "load balancer killed (refused): fault -> answer without it",
                            Scenario.LB_REFUSED,
                            Result::detectMs),
                    new Panel(
                            "load balancer hangs (SIGSTOP): fault -> answer without it",
                            Scenario.LB_HANG,
                            Result::detectMs),
                    new Panel(
                            "backends dead, load balancer answers 503: fault -> answer without it",
                            Scenario.BACKENDS_DEAD,
                            Result::detectMs),
                    new Panel(
                            "load balancer back (after refused): revival -> answer with it",
                            Scenario.LB_REFUSED,
                            Result::recoverMs));

    private Chart() {}

    /** Draws {@code png}; returns null, or why it could not. */
    static String draw(Report report, List<DnsSystem> systems, Path script, Path work, Path png)
            throws IOException {
        Files.createDirectories(work);
        Path trials = work.resolve("chart-trials.dat");
        Path summary = work.resolve("chart-summary.dat");
        Path vars = work.resolve("chart-vars.gp");
        StringBuilder t = new StringBuilder();
        StringBuilder s = new StringBuilder();
        for (Panel p : PANELS) {
            t.append("# ").append(p.title()).append('\n');
            t.append("-1 1\n"); // outside the x range: a block is never empty
            s.append("# ").append(p.title()).append("\n-1 1 1\n");
            Map<DnsSystem, List<Result>> by = report.bySystem(p.scenario());
            for (int i = 0; i < systems.size(); i++) {
                List<Result> rs = by.get(systems.get(i));
                List<Double> values = new ArrayList<>();
                for (int k = 0; k < rs.size(); k++) {
                    double v = p.value().applyAsDouble(rs.get(k));
                    values.add(v);
                    if (!Double.isNaN(v)) {
                        double jitter = ((k % 9) - 4) * 0.035;
                        t.append(
                                String.format(
                                        Locale.ROOT, "%.3f %.4f%n", i + 1 + jitter, seconds(v)));
                    }
                }
                Stats st = Stats.of(values);
                if (st.n() > 0) {
                    s.append(
                            String.format(
                                    Locale.ROOT,
                                    "%d %.4f %.4f%n",
                                    i + 1,
                                    seconds(st.median()),
                                    seconds(st.p90())));
                }
            }
            t.append("\n\n");
            s.append("\n\n");
        }
        Files.writeString(trials, t.toString());
        Files.writeString(summary, s.toString());
        StringBuilder v = new StringBuilder();
        v.append("nsys = ").append(systems.size()).append('\n');
        v.append("set xtics (");
        for (int i = 0; i < systems.size(); i++) {
            v.append(i > 0 ? ", " : "").append('"').append(systems.get(i).id()).append("\" ");
            v.append(i + 1);
        }
        v.append(")\narray panel[").append(PANELS.size()).append("]\n");
        for (int i = 0; i < PANELS.size(); i++) {
            v.append("panel[").append(i + 1).append("] = \"").append(PANELS.get(i).title());
            v.append("\"\n");
        }
        v.append("title_all = \"Failover on loopback: time to the first authoritative answer")
                .append(" (every trial a dot; TTL not included)\"\n");
        Files.writeString(vars, v.toString());
        Files.deleteIfExists(png);
        Process g =
                new ProcessBuilder(
                                "gnuplot",
                                "-e",
                                "trials='%s'; summary='%s'; vars='%s'; out='%s'"
                                        .formatted(trials, summary, vars, png),
                                script.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(g.getInputStream().readAllBytes());
        try {
            if (!g.waitFor(60, TimeUnit.SECONDS) || g.exitValue() != 0 || !Files.exists(png)) {
                return "gnuplot failed: " + out.strip();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    private static double seconds(double ms) {
        return ms / 1000;
    }
}
