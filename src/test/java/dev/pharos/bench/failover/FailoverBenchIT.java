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
 * the region-dies scenarios, one of the others, 20 s of packet loss, no gdnsd at its defaults. It
 * checks only that the benchmark runs and writes its table with a row for every system; the numbers
 * are for the benchmark's notes, not pass/fail (they depend on what else the machine does). Writes
 * to target/failover-bench/, never over bench/results/.
 */
class FailoverBenchIT {
    private static final List<String> SYSTEMS =
            List.of(
                    "pharos",
                    "pharos-timeout1s",
                    "pharos-bind",
                    "pdns",
                    "pdns-tuned",
                    "gdnsd",
                    "gdnsd-tuned");

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void quickRunWritesTheTableWithEverySystem() throws Exception {
        for (String[] tool :
                new String[][] {
                    {"haproxy", "haproxy"},
                    {"pdns_server", "pdns-server"},
                    {"gdnsd", "gdnsd"},
                    {"named", "bind9"},
                    {"python3", "python3"},
                    {"gnuplot", "gnuplot-nox"}
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
        Path md =
                FailoverBench.run(
                        BenchOptions.parse(
                                "--quick",
                                "--out",
                                out.toString(),
                                "--work",
                                out.resolve("work").toString(),
                                "--jar",
                                System.getProperty(
                                        "pharos.jar", "target/quarkus-app/quarkus-run.jar"),
                                "--command",
                                "./mvnw verify (FailoverBenchIT: the --quick run)"));

        String table = Files.readString(md);
        for (String system : SYSTEMS) {
            for (Scenario s : Scenario.values()) {
                assertThat(table)
                        .as("a row for %s in %s", system, s.id)
                        .containsPattern("\\| (" + s.id + " \\| )?`" + system + "` \\|");
            }
        }
        assertThat(out.resolve("failover-trials.csv")).isNotEmptyFile();
        assertThat(out.resolve("failover.png")).isNotEmptyFile();
    }

    private static void need(boolean ok, String why) {
        Tools.need(ok, "for FailoverBenchIT: " + why);
    }
}
