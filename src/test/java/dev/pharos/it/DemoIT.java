package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.testing.Dig;
import dev.pharos.testing.Tools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, run as a newcomer would: {@code deploy/local/demo up}, kill a region,
 * see it leave the DNS answer, revive it, {@code down}, {@code up} again with every region answered
 * at once, {@code reset}, and nothing it started is left.
 */
class DemoIT {
    static final Path DEMO = Path.of("deploy/local/demo");
    static final InetSocketAddress VP1 = new InetSocketAddress("127.0.9.1", 5353);
    Path dir;

    private String demo(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", DEMO.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PHAROS_DEMO_DIR", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS))
                .as("demo " + String.join(" ", args) + " finished")
                .isTrue();
        assertThat(p.exitValue()).as("demo " + String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }

    @AfterEach
    void down() throws Exception {
        if (dir != null && Files.isDirectory(dir.resolve("pids"))) {
            demo("down");
        }
    }

    @Test
    void upKillReviveDownLeavesNothingRunning() throws Exception {
        Tools.require("haproxy", "haproxy");
        Tools.require("dig", "bind9-dnsutils");
        dir = Files.createTempDirectory("pharos-demo");
        String up = demo("up");
        assertThat(up).contains("dig @127.0.9.1 -p 5353 cdn.example.test");
        Set<String> all = Set.of("127.0.1.1", "127.0.2.1", "127.0.3.1");
        assertThat(Dig.query(VP1, "cdn.example.test", "A")).isEqualTo(all);
        List<Long> pids = pids();
        assertThat(pids).hasSize(12);

        demo("kill", "europe");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                Dig.query(VP1, "cdn.example.test", "A")
                                        .equals(Set.of("127.0.2.1", "127.0.3.1")));
        assertThat(Dig.query(VP1, "europe.example.test", "A")).containsExactly("127.0.3.1");
        assertThat(demo("status")).contains("europe=DEAD");

        demo("revive", "europe");
        // rise (3 probes) and the demo's 10 s hold-down
        await().atMost(Duration.ofSeconds(40))
                .until(() -> Dig.query(VP1, "cdn.example.test", "A").equals(all));

        // down stops the vantage points first: they never see the CDN stop, so the next up
        // answers with every region at once, with nothing remembered that holds one back
        demo("down");
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("pid " + pid)
                    .isFalse();
        }
        demo("up");
        assertThat(Dig.query(VP1, "cdn.example.test", "A")).isEqualTo(all);
        assertThat(demo("status")).doesNotContain("DEAD");
        pids = pids();

        // reset: down, and the next up starts from empty state
        demo("reset");
        assertThat(dir.resolve("data")).doesNotExist();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("pid " + pid)
                    .isFalse();
        }
        dir = null;
    }

    private List<Long> pids() throws IOException {
        List<Long> out = new ArrayList<>();
        try (var files = Files.list(dir.resolve("pids"))) {
            for (Path f : files.toList()) {
                out.add(Long.parseLong(Files.readString(f).trim()));
            }
        }
        return out;
    }
}
