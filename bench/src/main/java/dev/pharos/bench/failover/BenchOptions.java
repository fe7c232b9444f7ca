package dev.pharos.bench.failover;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What to run. The full mode (the default) runs {@code trials} trials of every fast scenario, the
 * packet-loss scenario for two minutes (ten with {@code --soak}), and gdnsd at its defaults in a
 * slow lane of its own ({@code slowTrials} trials of a dead and a hanging load balancer, about five
 * minutes each: it takes ~100 s to drop an address and ~200 s to re-add it). The quick mode (CI)
 * runs three trials of the region-dies scenarios, one short trial of the others, 20 s of packet
 * loss, and no gdnsd at its defaults.
 */
record BenchOptions(
        int trials,
        int otherTrials,
        boolean quick,
        boolean reportOnly,
        int lossSeconds,
        int starveSeconds,
        int slowTrials,
        int flapCycles,
        int allDeadSeconds,
        int holdMs,
        int phaseMinMs,
        int phaseSpreadMs,
        long seed,
        Path repo,
        Path jar,
        Path out,
        Path work,
        String command) {

    static final String USAGE =
            """
            usage: FailoverBench [--quick] [--trials N] [--soak] [--loss-seconds S] [--report-only]
                                 [--starve-seconds S] [--slow-trials N] [--seed S] [--out DIR]
                                 [--work DIR]
                                 [--repo DIR] [--jar FILE] [--command TEXT]
              --quick          CI: 3 trials of the region-dies scenarios, 1 of the others,
                               20 s of packet loss, 15 s of CPU starvation, no gdnsd at its
                               defaults
              --trials N       trials per scenario (default 20; 3 with --quick)
              --soak           packet loss for 10 minutes (default 2 minutes)
              --starve-seconds S  CPU starvation of one vantage point per Pharos set (default
                               60; 0 = skip)
              --slow-trials N  trials of gdnsd at its defaults, per fault (default 3; 0 = skip)
              --out DIR        where failover.md, failover.png and failover-trials.csv go
                               (default bench/results)
              --report-only    run nothing: write failover.md and failover.png again from
                               the failover-trials.csv in --out
            """;

    static BenchOptions parse(String... args) {
        boolean quick = false;
        boolean reportOnly = false;
        Integer trials = null;
        Integer loss = null;
        Integer starve = null;
        boolean soak = false;
        Integer slow = null;
        long seed = System.nanoTime();
        Path repo = Path.of(".");
        Path jar = null;
        Path out = null;
        Path work = null;
        String command = null;
        List<String> a = new ArrayList<>(List.of(args));
        for (int i = 0; i < a.size(); i++) {
            String arg = a.get(i);
            switch (arg) {
                case "--quick" -> quick = true;
                case "--soak" -> soak = true;
                case "--report-only" -> reportOnly = true;
                case "--trials" -> trials = positive(arg, a, ++i);
                case "--loss-seconds" -> loss = positive(arg, a, ++i);
                case "--starve-seconds" ->
                        starve = Math.max(0, Integer.parseInt(value(arg, a, ++i)));
                case "--slow-trials" -> slow = Integer.parseInt(value(arg, a, ++i));
                case "--seed" -> seed = Long.parseLong(value(arg, a, ++i));
                case "--repo" -> repo = Path.of(value(arg, a, ++i));
                case "--jar" -> jar = Path.of(value(arg, a, ++i));
                case "--out" -> out = Path.of(value(arg, a, ++i));
                case "--work" -> work = Path.of(value(arg, a, ++i));
                case "--command" -> command = value(arg, a, ++i);
                case "-h", "--help" -> throw new BenchException(USAGE);
                default -> throw new BenchException("unknown argument " + arg + "\n" + USAGE);
            }
        }
        repo = repo.toAbsolutePath().normalize();
        int t = trials != null ? trials : quick ? 3 : 20;
        return new BenchOptions(
                t,
                quick ? 1 : t,
                quick,
                reportOnly,
                loss != null ? loss : soak ? 600 : quick ? 20 : 120,
                starve != null ? starve : quick ? 15 : 60,
                slow != null ? slow : quick ? 0 : 3,
                quick ? 2 : 5,
                quick ? 10 : 15,
                2000,
                500,
                quick ? 2000 : 5000,
                seed,
                repo,
                jar != null
                        ? jar.toAbsolutePath()
                        : repo.resolve("target/quarkus-app/quarkus-run.jar"),
                (out != null ? out : repo.resolve("bench/results")).toAbsolutePath(),
                (work != null ? work : repo.resolve("bench/results/tmp/failover")).toAbsolutePath(),
                command != null ? command : "FailoverBench " + String.join(" ", args));
    }

    private static String value(String flag, List<String> a, int i) {
        if (i >= a.size()) {
            throw new BenchException(flag + " needs a value\n" + USAGE);
        }
        return a.get(i);
    }

    private static int positive(String flag, List<String> a, int i) {
        int v = Integer.parseInt(value(flag, a, i));
        if (v < 1) {
            throw new BenchException(flag + " must be at least 1");
        }
        return v;
    }
}
