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
    }
}
