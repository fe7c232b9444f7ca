package dev.pharos.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker's outage exception on a synthetic history: a region that came back counts as dead for
 * U after its return (no vantage point can have seen it UP yet), so the never-empty guard's answers
 * in that time are exempt, and later ones are not. No processes, no network.
 */
class ChaosCheckOutageIT {

    @Test
    void aRegionBackForLessThanUStillCountsAsDeadForTheGuard(@TempDir Path dir) throws Exception {
        // B = 2 + 1 + 0 + 1 (tolerance) = 4 s; U = 2 + 1 + 1 + 1 = 5 s
        String meta =
                "{\"k\":\"meta\",\"t\":1000,\"seed\":1,\"durationSeconds\":30,"
                        + "\"partitions\":false,\"detectionSeconds\":2.0,\"exchangeSeconds\":1.0,"
                        + "\"propagationSeconds\":0.0,\"exchangeInterval\":1.0,"
                        + "\"riseSeconds\":2.0,\"probeTimeoutSeconds\":1.0,\"holdDownSeconds\":5,"
                        + "\"regions\":[{\"name\":\"r1\",\"address\":\"127.0.61.1\"},"
                        + "{\"name\":\"r2\",\"address\":\"127.0.62.1\"}]}";
        String both = "\"v\":[\"127.0.61.1\",\"127.0.62.1\"]}";
        Path file = dir.resolve("history.jsonl");
        Files.writeString(
                file,
                String.join(
                                "\n",
                                meta,
                                "{\"k\":\"region\",\"t\":2000,\"region\":\"r1\",\"address\":\"127.0.61.1\",\"alive\":false}",
                                "{\"k\":\"region\",\"t\":10000,\"region\":\"r1\",\"address\":\"127.0.61.1\",\"alive\":true}",
                                "{\"k\":\"region\",\"t\":10500,\"region\":\"r2\",\"address\":\"127.0.62.1\",\"alive\":false}",
                                // r1 back 5 s ago at most: the guard's answer, exempt
                                "{\"k\":\"q\",\"t\":15001,\"ns\":1,\"s\":15000,\"rc\":\"NOERROR\","
                                        + both,
                                // r1 back 11 s ago: r2 10.5 s dead is a violation
                                "{\"k\":\"q\",\"t\":21001,\"ns\":1,\"s\":21000,\"rc\":\"NOERROR\","
                                        + both)
                        + "\n");
        ChaosCheck.Report r = ChaosCheck.check(file);
        assertThat(r.violations()).hasSize(1);
        assertThat(r.violations().get(0).t()).isEqualTo(21000);
        assertThat(r.violations().get(0).detail()).contains("127.0.62.1");
        assertThat(r.tallies().get(1).worst()).contains("every region dead or drained=1");
    }
}
