package dev.pharos.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CI's three minutes of the randomized fault soak ({@code SEED=14 DURATION=180
 * bench/chaos/run.sh}): the same harness and checker, a fixed seed, its files in target/chaos-it/
 * (never over bench/results/). It fails on any invariant violation (the table lists them with the
 * seed), and when the run did not exercise what it claims: faults injected, a drain checked, name
 * servers that answered.
 */
class ChaosSoakIT {
    private static final long SEED = Long.getLong("pharos.chaos.seed", 14);
    private static final Duration DURATION =
            Duration.ofSeconds(Long.getLong("pharos.chaos.seconds", 180));

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void threeMinutesOfRandomFaultsBreakNoInvariant() throws Exception {
        Tools.require("haproxy", "haproxy");
        Tools.require("python3", "python3");
        Tools.require("named", "bind9");
        Tools.require("etcd", "etcd-server");
        Tools.requireRoot("named -g runs as root here; the soak's writers keep a zone in BIND");
        Path work = Path.of("target", "chaos-it").toAbsolutePath();
        Chaos.Outcome o =
                Chaos.run(
                        SEED,
                        DURATION,
                        work,
                        Path.of("bench", "failover", "backend.py").toAbsolutePath(),
                        work.resolve("chaos.md"),
                        "./mvnw verify (ChaosSoakIT: SEED="
                                + SEED
                                + " DURATION="
                                + DURATION.toSeconds()
                                + ")");
        ChaosCheck.Report r = o.report();
        String table = java.nio.file.Files.readString(o.table());
        assertThat(r.violations()).as("invariant violations (seed %d):\n%s", SEED, table).isEmpty();
        assertThat(r.faults().size()).as("faults injected\n%s", table).isGreaterThan(10);
        assertThat(r.answers().getOrDefault("NOERROR", 0L))
                .as("answers\n%s", table)
                .isGreaterThan(DURATION.toSeconds() * 20);
        assertThat(r.drains()).as("drains acknowledged and cleared\n%s", table).isPositive();
        assertThat(r.tallies().get(1).checked()).as("addresses checked\n%s", table).isPositive();
        ChaosCheck.Tally bind = tally(r, "BIND: dead address");
        assertThat(bind.checked()).as("BIND's addresses checked\n%s", table).isPositive();
        ChaosCheck.Tally bindDrain = tally(r, "BIND: region drained");
        assertThat(bindDrain.checked())
                .as("BIND's answers while a region was drained through the writers\n%s", table)
                .isPositive();
        ChaosCheck.Tally writers = tally(r, "writers");
        assertThat(writers.checked()).as("accepted updates checked\n%s", table).isPositive();
        assertThat(writers.worst())
                .as("the writers' journaled updates read\n%s", table)
                .doesNotContain("apply_ok journaled: 0,");
        assertThat(r.faults().stream().filter(f -> f.lane().equals("writer")).count())
                .as("faults on the writers and etcd\n%s", table)
                .isGreaterThan(2);
    }

    private static ChaosCheck.Tally tally(ChaosCheck.Report r, String prefix) {
        return r.tallies().stream()
                .filter(t -> t.invariant().startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no tally " + prefix + " in " + r.tallies()));
    }
}
