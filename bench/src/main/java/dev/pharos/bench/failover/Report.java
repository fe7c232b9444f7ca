package dev.pharos.bench.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The results table (Markdown) and the raw trials (CSV). */
final class Report {
    static final List<Scenario> REGION_DEAD =
            List.of(Scenario.LB_REFUSED, Scenario.LB_HANG, Scenario.BACKENDS_DEAD);
    static final List<Scenario> STEADY =
            List.of(Scenario.BACKEND_FLAP, Scenario.PACKET_LOSS, Scenario.CPU_STARVED);

    private final List<DnsSystem> systems;
    private final List<Result> results;
    private final BenchOptions options;

    Report(List<DnsSystem> systems, List<Result> results, BenchOptions options) {
        this.systems = systems;
        this.results = results;
        this.options = options;
    }

    List<Result> of(Scenario s, DnsSystem system) {
        return results.stream()
                .filter(r -> r.trial().scenario() == s && r.system().id().equals(system.id()))
                .toList();
    }

    Stats detect(Scenario s, DnsSystem system) {
        return Stats.of(of(s, system).stream().map(Result::detectMs).toList());
    }

    Stats recover(Scenario s, DnsSystem system) {
        return Stats.of(of(s, system).stream().map(Result::recoverMs).toList());
    }

    String markdown(Map<String, String> header, List<String> goals) {
        StringBuilder md = new StringBuilder();
        md.append("# Failover benchmark: Pharos, PowerDNS LUA records and gdnsd, side by side\n\n");
        header.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append(
                "\nHow to read this and how to rerun it: [bench/failover/README.md]"
                        + "(../failover/README.md). Times are seconds: median / p90 (nearest rank)"
                        + " / worst over the trials. The clock starts just before the fault is"
                        + " injected and stops at the first authoritative answer that shows the"
                        + " change (TTL not included: every system serves TTL 1); for a Pharos set"
                        + " with embedded DNS, on the last of its three servers. Counts are summed"
                        + " over trials and over a system's servers (polled every 50 ms each).\n\n");
        md.append("## Systems\n\n| system | what | settings |\n|---|---|---|\n");
        for (DnsSystem s : systems) {
            md.append("| `").append(s.id()).append("` | ").append(s.label()).append(" | ");
            md.append(s.settings()).append(" |\n");
        }
        md.append("\n## Against the goals\n\n");
        goals.forEach(g -> md.append("- ").append(g).append('\n'));
        regionDead(md);
        steady(md);
        allDead(md);
        restart(md);
        md.append("\n![fault to answer, every trial](failover.png)\n");
        return md.toString();
    }

    private void regionDead(StringBuilder md) {
        md.append("\n## A region dies, then comes back\n\n");
        for (Scenario s : REGION_DEAD) {
            md.append("- `").append(s.id).append("`: ").append(s.description).append('\n');
        }
        md.append(
                "\n| scenario | system | trials | fault → answer without it (s) | revival →"
                        + " answer with it (s) | wrong answers | false changes | not dropped /"
                        + " not re-added |\n|---|---|---:|---|---|---:|---:|---|\n");
        for (Scenario s : REGION_DEAD) {
            for (DnsSystem sys : systems) {
                List<Result> rs = of(s, sys);
                md.append("| ").append(s.id).append(" | `").append(sys.id()).append("` | ");
                if (rs.isEmpty()) {
                    md.append("0 | ").append(notRun(s, sys)).append(" | | | | |\n");
                    continue;
                }
                Stats d = detect(s, sys);
                Stats r = recover(s, sys);
                md.append(rs.size()).append(" | ").append(d.seconds()).append(" | ");
                md.append(r.seconds()).append(" | ");
                md.append(sum(rs, Result::wrong)).append(" | ");
                md.append(sum(rs, Result::falseChanges)).append(" | ");
                md.append(rs.size() - d.n()).append(" / ").append(rs.size() - r.n());
                md.append(" |\n");
            }
        }
    }

    private void steady(StringBuilder md) {
        md.append("\n## Nothing should change\n\n");
        for (Scenario s : STEADY) {
            md.append("- `").append(s.id).append("`: ").append(s.description).append('\n');
        }
        md.append(
                String.format(
                        Locale.ROOT,
                        "%nThe flap: backend 127.0.1.11 answers 503 for 1 s then 200 for 3 s, %d"
                                + " times per trial; both Pharos and the load balancer see it"
                                + " (HAProxy checks it every 500 ms, fall 2), and requests the load"
                                + " balancer sends it meanwhile get its 503. The loss: %d s of 30%%"
                                + " loss from the first vantage point of each Pharos set (one of"
                                + " three) and from 127.0.0.1 (the single point of view of PowerDNS"
                                + " and gdnsd) to 127.0.1.1:8080, by an nftables rule in a table"
                                + " of the benchmark's own. The CPU starvation: for %d s the"
                                + " first vantage point of each Pharos set (its JVM, every thread)"
                                + " and `stress-ng --cpu 2` are pinned to core 0 with taskset; the"
                                + " peers are not starved, and are judged only for completeness.%n%n",
                        options.flapCycles(),
                        options.lossSeconds(),
                        options.starveSeconds()));
        md.append(
                "| scenario | system | trials | answer changes during the fault | all changes |"
                        + " answers without every region |\n|---|---|---:|---:|---:|---:|\n");
        for (Scenario s : STEADY) {
            for (DnsSystem sys : systems) {
                List<Result> rs = of(s, sys);
                md.append("| ").append(s.id).append(" | `").append(sys.id()).append("` | ");
                if (rs.isEmpty()) {
                    md.append("0 | ").append(notRun(s, sys)).append(" | | |\n");
                    continue;
                }
                md.append(rs.size()).append(" | ").append(sum(rs, Result::changes));
                md.append(" | ").append(sum(rs, Result::falseChanges));
                md.append(" | ").append(sum(rs, Result::wrong)).append(" |\n");
            }
        }
    }

    private void allDead(StringBuilder md) {
        md.append("\n## Every region dies\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "All three load balancers are killed at once and started again %d s later."
                                + " There is nothing better to serve than what was served before:"
                                + " the best answer is no change.%n%n",
                        options.allDeadSeconds()));
        md.append(
                "| system | trials | answer changes during the outage | served at its end |"
                        + " revival → all three (s) | empty or error answers |\n"
                        + "|---|---:|---:|---|---|---:|\n");
        for (DnsSystem sys : systems) {
            List<Result> rs = of(Scenario.ALL_DEAD, sys);
            md.append("| `").append(sys.id()).append("` | ");
            if (rs.isEmpty()) {
                md.append("0 | ").append(notRun(Scenario.ALL_DEAD, sys)).append(" | | | |\n");
                continue;
            }
            Map<String, Long> ends =
                    rs.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            Result::endAnswer,
                                            TreeMap::new,
                                            Collectors.counting()));
            md.append(rs.size()).append(" | ").append(sum(rs, Result::changes)).append(" | ");
            md.append(
                    ends.entrySet().stream()
                            .map(e -> e.getKey() + " (" + e.getValue() + "×)")
                            .collect(Collectors.joining(", ")));
            md.append(" | ").append(recover(Scenario.ALL_DEAD, sys).seconds());
            md.append(" | ").append(sum(rs, Result::wrong)).append(" |\n");
        }
    }

    private void restart(StringBuilder md) {
        md.append("\n## A server restarts during an outage\n\n");
        md.append(Scenario.RESTART.description).append(".\n\n");
        md.append(
                "| system | what is restarted | trials | answer changes after the restart |"
                        + " wrong answers | no answer after the restart (s, median / worst) |\n"
                        + "|---|---|---:|---:|---:|---|\n");
        for (DnsSystem sys : systems) {
            List<Result> rs = of(Scenario.RESTART, sys);
            md.append("| `")
                    .append(sys.id())
                    .append("` | ")
                    .append(sys.restartNote())
                    .append(" | ");
            if (rs.isEmpty()) {
                md.append("0 | ").append(notRun(Scenario.RESTART, sys)).append(" | | |\n");
                continue;
            }
            Stats gap = Stats.of(rs.stream().map(Result::noAnswerMs).toList());
            md.append(rs.size()).append(" | ").append(sum(rs, Result::changes)).append(" | ");
            md.append(sum(rs, Result::wrong)).append(" | ");
            md.append(Stats.s(gap.median())).append(" / ").append(Stats.s(gap.worst()));
            md.append(" |\n");
        }
    }

    private static String notRun(Scenario s, DnsSystem sys) {
        if (sys.id().equals(PeerDns.GDNSD_DEFAULTS.id())) {
            return "not run (~5 min a trial: gdnsd at its defaults has a lane of its own in the"
                    + " full mode, with lb-refused, lb-hang and packet-loss only)";
        }
        return "not run";
    }

    private static int sum(List<Result> rs, java.util.function.ToIntFunction<Result> f) {
        return rs.stream().mapToInt(f).sum();
    }

    /**
     * One line per system and trial, after the run's header as {@code # key: value} lines; {@code
     * --report-only} reads it back.
     */
    void csv(Path file, Map<String, String> header) throws IOException {
        List<String> lines = new ArrayList<>();
        header.forEach((k, v) -> lines.add("# " + k + ": " + v));
        lines.add(
                "scenario,trial,system,fault_s,detect_s,recover_s,wrong,false_changes,changes,"
                        + "no_answer_s,end_answer");
        for (Result r : results) {
            Trial t = r.trial();
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "%s,%d,%s,%.3f,%s,%s,%d,%d,%d,%.2f,%s",
                            t.scenario().id,
                            t.index(),
                            r.system().id(),
                            t.fault() / 1000,
                            csvSeconds(r.detectMs()),
                            csvSeconds(r.recoverMs()),
                            r.wrong(),
                            r.falseChanges(),
                            r.changes(),
                            r.noAnswerMs() / 1000,
                            r.endAnswer() == null ? "" : "\"" + r.endAnswer() + "\""));
        }
        Files.write(file, lines);
    }

    /** Reads {@link #csv} back: the results, and the header into {@code header}. */
    static List<Result> readCsv(
            Path file, Map<String, DnsSystem> systems, Map<String, String> header)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BenchException(file + " not found: nothing to report");
        }
        List<Result> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("# ")) {
                int colon = line.indexOf(": ");
                header.put(line.substring(2, colon), line.substring(colon + 2));
                continue;
            }
            if (line.startsWith("scenario,") || line.isBlank()) {
                continue;
            }
            int quote = line.indexOf('"');
            String end = quote < 0 ? null : line.substring(quote + 1, line.lastIndexOf('"'));
            String[] f = (quote < 0 ? line : line.substring(0, quote)).split(",", -1);
            Trial t =
                    new Trial(
                            Scenario.byId(f[0]),
                            Integer.parseInt(f[1]),
                            Double.NaN,
                            Double.parseDouble(f[3]) * 1000,
                            Double.NaN,
                            Double.NaN,
                            Double.NaN,
                            java.util.Set.of(),
                            List.of(f[2]));
            out.add(
                    new Result(
                            t,
                            systems.get(f[2]),
                            ms(f[4]),
                            ms(f[5]),
                            Integer.parseInt(f[6]),
                            Integer.parseInt(f[7]),
                            Integer.parseInt(f[8]),
                            Double.parseDouble(f[9]) * 1000,
                            end));
        }
        return out;
    }

    private static double ms(String seconds) {
        return seconds.isEmpty() ? Double.NaN : Double.parseDouble(seconds) * 1000;
    }

    private static String csvSeconds(double ms) {
        return Double.isNaN(ms) ? "" : String.format(Locale.ROOT, "%.4f", ms / 1000);
    }

    /** Per system, in report order, the results of one scenario: for the chart. */
    Map<DnsSystem, List<Result>> bySystem(Scenario s) {
        Map<DnsSystem, List<Result>> m = new LinkedHashMap<>();
        systems.forEach(sys -> m.put(sys, of(s, sys)));
        return m;
    }
}
