package dev.pharos.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.AlertSettings;
import dev.pharos.config.DeliverySettings;
import dev.pharos.decision.RegionState;
import dev.pharos.journal.Journal;
import dev.pharos.journal.PipelineEvent.RegionStateChanged;
import dev.pharos.journal.RegionEvidence;
import dev.pharos.journal.Severity;
import dev.pharos.testing.Json;
import dev.pharos.testing.Tools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verification examples in docs/ALERTS.md, run as written against a real delivery: the Python
 * one accepts it, and refuses it with another secret, a changed body or an old timestamp; the shell
 * one agrees.
 */
class AlertsDocExamplesTest {
    static final String SECRET = "doc-example-secret-5a1f";

    @TempDir static Path dir;
    static SigningReceiver.Request delivery;

    @BeforeAll
    static void captureARealDelivery() throws Exception {
        try (Journal journal =
                        new Journal(dir.resolve("j"), "vp1", Clock.systemUTC(), Json.MAPPER, 100);
                SigningReceiver r =
                        new SigningReceiver(
                                "127.0.70.8", null, Clock.systemUTC(), Duration.ofMinutes(5))) {
            Notifier n =
                    new Notifier(
                            List.of(
                                    new ReceiverSettings(
                                            "doc",
                                            AlertSettings.ReceiverType.WEBHOOK,
                                            URI.create(r.url()),
                                            Optional.of(SECRET),
                                            Severity.INFO,
                                            Set.of())),
                            new DeliverySettings(
                                    Duration.ofSeconds(2),
                                    Duration.ofMillis(50),
                                    Duration.ofSeconds(1),
                                    Duration.ofMinutes(1),
                                    10),
                            journal,
                            Clock.systemUTC(),
                            Json.MAPPER,
                            new AlertMetrics(List.of("doc"), new SimpleMeterRegistry()),
                            null);
            n.listen();
            journal.append(
                    new RegionStateChanged(
                            "europe",
                            new RegionEvidence(RegionState.DEAD, "test", Map.of(), Map.of()),
                            "region europe HEALTHY -> DEAD: \"quotes\" & <brackets> ünïcode"));
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> !r.processed().isEmpty());
            delivery = r.processed().get(0);
            n.close();
        }
        Files.write(dir.resolve("body.json"), delivery.body());
    }

    private static String block(String language) throws IOException {
        String doc = Files.readString(Path.of("docs/ALERTS.md"));
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("a ```%s block in docs/ALERTS.md", language).isTrue();
        return m.group(1);
    }

    private static ProcessResult run(List<String> cmd, Map<String, String> env, Path stdin)
            throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(p.exitValue(), out);
    }

    record ProcessResult(int exit, String out) {}

    @Test
    void thePythonExampleAcceptsARealDeliveryAndRefusesForgeriesAndReplays() throws Exception {
        Path python = Tools.require("python3", "python3");
        Path script = dir.resolve("verify.py");
        Files.writeString(script, block("python"));
        List<String> cmd =
                List.of(
                        python.toString(),
                        script.toString(),
                        delivery.timestamp(),
                        delivery.signature());

        ProcessResult ok =
                run(cmd, Map.of("PHAROS_WEBHOOK_SECRET", SECRET), dir.resolve("body.json"));
        assertThat(ok).isEqualTo(new ProcessResult(0, "valid"));

        assertThat(
                        run(
                                        cmd,
                                        Map.of("PHAROS_WEBHOOK_SECRET", "another"),
                                        dir.resolve("body.json"))
                                .exit())
                .isEqualTo(1);
        Path changed = dir.resolve("changed.json");
        Files.writeString(changed, delivery.text().replace("critical", "info"));
        assertThat(run(cmd, Map.of("PHAROS_WEBHOOK_SECRET", SECRET), changed).exit()).isEqualTo(1);

        // the replay window: the same function with its clock moved on
        Path replay = dir.resolve("replay.py");
        Files.writeString(
                replay,
                block("python").replace("if __name__ == \"__main__\":", "if False:")
                        + "\nimport sys, os\nsys.exit(0 if verify(os.environb[b\"PHAROS_WEBHOOK_SECRET\"],"
                        + " sys.argv[1], sys.argv[2], open('body.json','rb').read(),"
                        + " now=int(sys.argv[1]) + int(sys.argv[3])) else 1)\n");
        Map<String, String> env = Map.of("PHAROS_WEBHOOK_SECRET", SECRET);
        String ts = delivery.timestamp();
        String sig = delivery.signature();
        assertThat(run(List.of(python.toString(), replay.toString(), ts, sig, "240"), env, null))
                .as("four minutes later: still within the window")
                .isEqualTo(new ProcessResult(0, ""));
        assertThat(run(List.of(python.toString(), replay.toString(), ts, sig, "360"), env, null))
                .as("six minutes later: a replay")
                .isEqualTo(new ProcessResult(1, ""));
    }

    @Test
    void theShellExampleAgrees() throws Exception {
        Tools.require("openssl", "openssl");
        Path sh = dir.resolve("verify.sh");
        Files.writeString(sh, block("sh"));
        Map<String, String> env =
                Map.of(
                        "PHAROS_WEBHOOK_SECRET", SECRET,
                        "TS", delivery.timestamp(),
                        "SIG", delivery.signature());
        assertThat(run(List.of("/bin/sh", sh.toString()), env, null))
                .isEqualTo(new ProcessResult(0, "valid"));
        Map<String, String> wrong = new java.util.HashMap<>(env);
        wrong.put("PHAROS_WEBHOOK_SECRET", "another");
        assertThat(run(List.of("/bin/sh", sh.toString()), wrong, null).out()).isEqualTo("INVALID");
    }
}
