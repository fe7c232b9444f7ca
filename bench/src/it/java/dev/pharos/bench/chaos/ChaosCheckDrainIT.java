package dev.pharos.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker's drain bound on BIND (name server 4), on synthetic histories: a region drained
 * through one of the writers is gone from BIND within the drain bound (1 s + tolerance), or within
 * B_ext of the heal of a fault on the writer; a drain through the first cluster does not count for
 * BIND. No processes, no network.
 */
class ChaosCheckDrainIT {
    // B = 2 + 1 + 0 + 1 (tolerance) = 4 s; B_ext = B + 3 (lease) + 1 (round) + 0.01 = 8.01 s
    private static final String META =
            "{\"k\":\"meta\",\"t\":1000,\"seed\":1,\"durationSeconds\":30,"
                    + "\"partitions\":false,\"detectionSeconds\":2.0,\"exchangeSeconds\":1.0,"
                    + "\"propagationSeconds\":0.0,\"exchangeInterval\":1.0,"
                    + "\"riseSeconds\":2.0,\"probeTimeoutSeconds\":1.0,\"holdDownSeconds\":5,"
                    + "\"external\":true,\"externalPropagationSeconds\":0.01,"
                    + "\"leaseTtlSeconds\":3,\"roundSeconds\":1.0,"
                    + "\"regions\":[{\"name\":\"r1\",\"address\":\"127.0.61.1\"},"
                    + "{\"name\":\"r2\",\"address\":\"127.0.62.1\"}]}";

    private static String drain(String kind, long t, int via, String cluster) {
        return "{\"k\":\""
                + kind
                + "\",\"t\":"
                + t
                + ",\"sent\":"
                + (t - 10)
                + ",\"via\":"
                + via
                + ",\"region\":\"r1\",\"status\":200,\"address\":\"127.0.61.1\""
                + (cluster == null ? "" : ",\"cluster\":\"" + cluster + "\"")
                + "}";
    }

    private static String bind(long s, String... addresses) {
        return "{\"k\":\"q\",\"t\":"
                + (s + 1)
                + ",\"ns\":4,\"s\":"
                + s
                + ",\"rc\":\"NOERROR\",\"v\":[\""
                + String.join("\",\"", addresses)
                + "\"]}";
    }

    private static ChaosCheck.Report check(Path dir, String... lines) throws Exception {
        Path file = dir.resolve("history.jsonl");
        Files.writeString(file, META + "\n" + String.join("\n", lines) + "\n");
        return ChaosCheck.check(file);
    }

    private static ChaosCheck.Tally bindDrain(ChaosCheck.Report r) {
        return r.tallies().stream()
                .filter(t -> t.invariant().startsWith("BIND: region drained"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aDrainThroughTheWritersStillServedByBindAfterTheBoundIsAViolation(@TempDir Path dir)
            throws Exception {
        ChaosCheck.Report r =
                check(
                        dir,
                        drain("drain", 2000, 5, "writers"),
                        bind(2500, "127.0.61.1", "127.0.62.1"), // within 2 s: fine
                        bind(3900, "127.0.62.1"),
                        bind(4500, "127.0.61.1", "127.0.62.1"), // 2.5 s after: a violation
                        drain("undrain", 20000, 6, "writers"),
                        bind(21000, "127.0.61.1", "127.0.62.1"));
        assertThat(r.violations()).hasSize(1);
        assertThat(r.violations().get(0).invariant()).isEqualTo("drain (BIND)");
        assertThat(r.violations().get(0).t()).isEqualTo(4500);
        assertThat(r.violations().get(0).detail()).contains("r1", "via vp5");
        assertThat(bindDrain(r).checked()).isEqualTo(3); // the answers while r1 was drained
        assertThat(bindDrain(r).worst()).contains("1 drains", "1.900 s (1 drains measured)");
    }

    @Test
    void aFaultOnTheWriterExtendsTheBoundToBExtAfterItsHeal(@TempDir Path dir) throws Exception {
        String fault =
                "{\"k\":\"fault\",\"t\":1500,\"lane\":\"writer\",\"target\":\"vp4\",\"what\":\"stop\","
                        + "\"vp\":4,\"writer\":\"vp4\"}";
        String heal =
                "{\"k\":\"heal\",\"t\":3000,\"lane\":\"writer\",\"target\":\"vp4\",\"what\":\"stop\","
                        + "\"vp\":4,\"writer\":\"vp4\"}";
        ChaosCheck.Report r =
                check(
                        dir,
                        fault,
                        drain("drain", 2000, 5, "writers"),
                        heal,
                        bind(4500, "127.0.61.1", "127.0.62.1"), // within B_ext of the heal
                        bind(11000, "127.0.61.1", "127.0.62.1"), // 3000 + 8010 = 11010: still
                        bind(11100, "127.0.61.1", "127.0.62.1"), // beyond: a violation
                        drain("undrain", 20000, 6, "writers"));
        assertThat(r.violations()).extracting(ChaosCheck.Violation::t).containsExactly(11100L);
        // a drain a fault delayed is no measure of the drain's own time
        assertThat(bindDrain(r).worst()).endsWith(": — (0 drains measured)");
    }

    @Test
    void aDrainThroughTheFirstClusterIsNotJudgedOnBind(@TempDir Path dir) throws Exception {
        ChaosCheck.Report r =
                check(
                        dir,
                        drain("drain", 2000, 1, null),
                        bind(4500, "127.0.61.1", "127.0.62.1"),
                        drain("undrain", 20000, 2, null));
        assertThat(r.violations()).isEmpty();
        assertThat(bindDrain(r).checked()).isZero();
        assertThat(r.drains()).isEqualTo(1);
    }
}
