package dev.pharos.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.it.Nft;
import dev.pharos.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CI's short run of the failover benchmark ({@code bench/failover/run.sh --quick}): three trials of
 * the region-dies scenarios, one of the others, 20 s of packet loss, 15 s of CPU starvation, no
 * gdnsd at its defaults. Writes to target/failover-bench/, never over bench/results/. It checks
 * that
 *
 * <ul>
 *   <li>every trial produced a result for every system, and in every trial that kills a region each
 *       Pharos set dropped it and added it back (a time was measured for both);
 *   <li>each Pharos set met the safety goal in every scenario: no false answer change, no wrong
 *       answer, no change under a flapping backend, packet loss or CPU starvation, none after a
 *       restart;
 *   <li>the table has a row for every system and scenario, and the CSV and the chart are written.
 * </ul>
 *
 * The times themselves are not checked: they depend on what else the machine does, and the table
 * reports them against their goals.
 */
class FailoverBenchIT {
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void quickRunJudgesEveryTrialAndPharosNeverChangesAnAnswerForNothing() throws Exception {
        for (String[] tool :
                new String[][] {
                    {"haproxy", "haproxy"},
                    {"pdns_server", "pdns-server"},
                    {"gdnsd", "gdnsd"},
                    {"named", "bind9"},
                    {"python3", "python3"},
                    {"gnuplot", "gnuplot-nox"},
                    {"stress-ng", "stress-ng"}
                }) {
            Tools.require(tool[0], tool[1]);
        }
        need(Tools.root(), "it runs BIND, gdnsd and PowerDNS as root and adds nftables rules");
        need(Nft.unavailable() == null, "nftables: " + Nft.unavailable());
        Path shared = Path.of("..", "shared", "peers", "pdns.conf.tmpl");
        need(
                Files.isRegularFile(shared),
                "the peers' templates are read from ../shared/peers beside the repository");

        Path out = Path.of("target", "failover-bench").toAbsolutePath();
        BenchOptions options =
                BenchOptions.parse(
                        "--quick",
                        "--out",
                        out.toString(),
                        "--work",
                        out.resolve("work").toString(),
                        "--jar",
                        System.getProperty("pharos.jar", "target/quarkus-app/quarkus-run.jar"),
                        "--command",
                        "./mvnw verify (FailoverBenchIT: the --quick run)");
        FailoverBench.Outcome run = FailoverBench.run(options);

        List<DnsSystem> measured =
                FailoverBench.systems().stream()
                        .filter(s -> !s.id().equals(PeerDns.GDNSD_DEFAULTS.id()))
                        .toList();
        for (DnsSystem system : measured) {
            for (Scenario s : Scenario.values()) {
                List<Result> results = run.report().of(s, system);
                assertThat(results)
                        .as("results of %s in %s", system.id(), s.id)
                        .hasSize(expectedTrials(s, options));
                if (pharos(system)
                        && (s.kind == Scenario.Kind.REGION_DEAD
                                || s.kind == Scenario.Kind.RESTART)) {
                    assertThat(results)
                            .as(
                                    "%s dropped the dead region and added it back in every %s trial",
                                    system.id(), s.id)
                            .allMatch(r -> !Double.isNaN(r.detectMs()))
                            .allMatch(r -> !Double.isNaN(r.recoverMs()));
                }
            }
        }

        List<Goals.Check> safety =
                run.goals().stream().filter(g -> g.kind() == Goals.Kind.SAFETY).toList();
        assertThat(safety).as("one safety goal per Pharos set").hasSize(PharosFleet.SETS.size());
        for (Goals.Check goal : safety) {
            assertThat(goal.met()).as(goal.line()).isTrue();
        }

        String table = Files.readString(run.markdown());
        for (DnsSystem system : FailoverBench.systems()) {
            for (Scenario s : Scenario.values()) {
                assertThat(table)
                        .as("a row for %s in %s", system.id(), s.id)
                        .containsPattern("\\| (" + s.id + " \\| )?`" + system.id() + "` \\|");
            }
        }
        assertThat(out.resolve("failover-trials.csv")).isNotEmptyFile();
        assertThat(out.resolve("failover.png")).isNotEmptyFile();
    }

    /** How many trials of a scenario the run makes with every system of the fast lane. */
    private static int expectedTrials(Scenario s, BenchOptions o) {
        return switch (s.kind) {
            case REGION_DEAD -> o.trials();
            case STEADY ->
                    s == Scenario.PACKET_LOSS
                            ? (o.lossSeconds() > 0 ? 1 : 0)
                            : s == Scenario.CPU_STARVED
                                    ? (o.starveSeconds() > 0 ? 1 : 0)
                                    : o.otherTrials();
            case ALL_DEAD, RESTART -> o.otherTrials();
        };
    }

    private static boolean pharos(DnsSystem s) {
        return PharosFleet.SETS.stream().anyMatch(set -> set.id().equals(s.id()));
    }

    private static void need(boolean ok, String why) {
        Tools.need(ok, "for FailoverBenchIT: " + why);
    }
}
