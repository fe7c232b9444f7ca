package dev.pharos.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.Ports;
import dev.pharos.testing.Readiness;
import dev.pharos.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * deploy/sync/pharos-sync against three real rsync daemons on loopback (127.0.1.1, 127.0.2.1,
 * 127.0.3.1), one of which refuses to receive one file of the tree (a daemon {@code exclude}): its
 * transfer fails half-way, every time, after other files have arrived. Each daemon records, before
 * every connection's transfer ({@code pre-xfer exec}, which the daemon waits for), whether the
 * marker is there, what the trace says and whether the content has arrived, so the order (marker,
 * content, trace, marker removed) is seen as the regions saw it. (Not {@code post-xfer exec}: the
 * daemon may run it after the client has gone on to its next connection.)
 */
class SyncScriptTest {
    private static final Path SCRIPT = Path.of("deploy/sync/pharos-sync");
    private static final String[] REGIONS = {"europe", "apac", "americas"};
    private static final String OLD_TRACE = "1000000000";
    private static final String MARKER = "sync/Archive-Update-in-Progress";
    private static final String TRACE = "project/trace/origin";

    private Path dir;
    private final List<Process> daemons = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Path rsync = Tools.require("rsync", "rsync");
        dir = Files.createTempDirectory("pharos-sync-test");
        Path source = dir.resolve("source");
        Files.createDirectories(source.resolve("pool"));
        for (int i = 1; i <= 3; i++) {
            byte[] b = new byte[200_000];
            new java.util.Random(i).nextBytes(b);
            Files.write(source.resolve("pool/package-" + i + ".deb"), b);
        }
        Files.writeString(source.resolve("index.html"), "release 2\n");
        Path hook = dir.resolve("pre-xfer");
        Files.writeString(
                hook,
                """
                #!/bin/sh
                # before every connection's transfer: the marker, the trace, the content
                cd "$RSYNC_MODULE_PATH" || exit 1
                m=no; [ -e %s ] && m=yes
                c=no; [ -e pool/package-3.deb ] && [ -e index.html ] && c=yes
                printf 'marker=%%s trace=%%s content=%%s\\n' "$m" \
                    "$(cat %s 2>/dev/null || echo none)" "$c" >>"../$RSYNC_MODULE_NAME.log"
                """
                        .formatted(MARKER, TRACE));
        hook.toFile().setExecutable(true);
        for (int i = 0; i < REGIONS.length; i++) {
            String region = REGIONS[i];
            String host = "127.0." + (i + 1) + ".1";
            Path tree = dir.resolve("regions/" + region);
            Files.createDirectories(tree.resolve("project/trace"));
            Files.writeString(tree.resolve(TRACE), OLD_TRACE + "\n");
            Files.writeString(tree.resolve("index.html"), "release 1, older\n");
            Files.writeString(tree.resolve("removed-in-release-2.html"), "old\n");
            int port = Ports.freeTcp(host);
            Path conf = dir.resolve(region + ".conf");
            Files.writeString(
                    conf,
                    (Tools.root() ? "uid = root\ngid = root\n" : "")
                            + "use chroot = no\n"
                            + "pid file = "
                            + dir.resolve(region + ".pid")
                            + "\n["
                            + region
                            + "]\n    path = "
                            + tree
                            + "\n    read only = no\n    pre-xfer exec = "
                            + hook
                            + "\n"
                            // apac's disk refuses one file: a transfer that fails half-way
                            + (region.equals("apac") ? "    exclude = /pool/package-2.deb\n" : ""));
            Process p =
                    new ProcessBuilder(
                                    rsync.toString(),
                                    "--daemon",
                                    "--no-detach",
                                    "--config=" + conf,
                                    "--address=" + host,
                                    "--port=" + port,
                                    "--log-file=" + dir.resolve(region + ".rsyncd.log"))
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve(region + ".out").toFile())
                            .start();
            daemons.add(p);
            Readiness.await(
                    "rsync daemon " + region + " on " + host + ":" + port,
                    Duration.ofSeconds(20),
                    p,
                    () -> read(dir.resolve(region + ".out")),
                    () -> Readiness.acceptsTcp(host, port));
            urls.add(region + "=rsync://" + host + ":" + port + "/" + region + "/");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : daemons) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Run(int status, String out, String err) {}

    private Run sync(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(args);
        Path out = dir.resolve("sync.out");
        Path err = dir.resolve("sync.err");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("pharos-sync finished").isTrue();
        return new Run(p.exitValue(), read(out), read(err));
    }

    private Path region(String name) {
        return dir.resolve("regions/" + name);
    }

    @Test
    void theTraceIsWrittenLastOnCompleteRegionsOnlyAndTheFailedRegionIsNamed() throws Exception {
        long before = Instant.now().getEpochSecond();
        List<String> args =
                new ArrayList<>(List.of("-s", dir.resolve("source").toString(), "-m", MARKER));
        args.addAll(urls);
        Run run = sync(args);
        long after = Instant.now().getEpochSecond();

        String all = run.out() + run.err();
        assertThat(run.status()).as(all).isEqualTo(1);
        assertThat(run.err()).as(all).contains("FAILED: apac (of 3 regions)");
        assertThat(run.err()).doesNotContain("FAILED: europe").doesNotContain("americas");

        for (String good : List.of("europe", "americas")) {
            long trace = Long.parseLong(read(region(good).resolve(TRACE)).strip());
            assertThat(trace).as(good + "'s trace").isBetween(before, after);
            assertThat(region(good).resolve("pool/package-2.deb")).exists();
            assertThat(region(good).resolve("removed-in-release-2.html")).doesNotExist();
            assertThat(read(region(good).resolve("index.html"))).isEqualTo("release 2\n");
            assertThat(region(good).resolve(MARKER)).as(good + "'s marker").doesNotExist();
            // before each connection: nothing yet; the marker; the content under the marker
            // with the old trace; the new trace, still under the marker (then removed)
            List<String> seen = read(dir.resolve("regions/" + good + ".log")).lines().toList();
            assertThat(seen)
                    .as(good + ", connection by connection")
                    .containsExactly(
                            "marker=no trace=" + OLD_TRACE + " content=no",
                            "marker=yes trace=" + OLD_TRACE + " content=no",
                            "marker=yes trace=" + OLD_TRACE + " content=yes",
                            "marker=yes trace=" + trace + " content=yes");
        }

        // apac: files arrived up to the refused one, the old trace stays, the marker is removed
        // (the region is judged by the age of its trace, not shown SYNCING)
        Path apac = region("apac");
        assertThat(read(apac.resolve(TRACE))).isEqualTo(OLD_TRACE + "\n");
        assertThat(apac.resolve("pool/package-1.deb")).exists();
        assertThat(apac.resolve("pool/package-2.deb")).doesNotExist();
        assertThat(apac.resolve(MARKER)).doesNotExist();
        List<String> seen = read(dir.resolve("regions/apac.log")).lines().toList();
        assertThat(seen)
                .as("apac, connection by connection")
                .containsExactly(
                        "marker=no trace=" + OLD_TRACE + " content=no",
                        "marker=yes trace=" + OLD_TRACE + " content=no",
                        "marker=yes trace=" + OLD_TRACE + " content=yes");
        assertThat(run.err()).contains("apac: the transfer failed; the trace file is not updated");
    }

    @Test
    void theRegionsComeFromAConfigurationFile() throws Exception {
        Path conf = dir.resolve("sync.conf");
        StringBuilder c = new StringBuilder("# the origin\nsource " + dir.resolve("source"));
        c.append("\nmarker ").append(MARKER).append("\nrsync-option --timeout=60\n");
        for (String u : urls) {
            if (!u.startsWith("apac=")) {
                c.append("region ").append(u.replaceFirst("=", " ")).append('\n');
            }
        }
        Files.writeString(conf, c.toString(), StandardCharsets.UTF_8);
        Run run = sync(List.of("-c", conf.toString()));
        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("all 2 regions synced");
        assertThat(read(region("europe").resolve(TRACE))).isNotEqualTo(OLD_TRACE + "\n");
        assertThat(read(region("apac").resolve(TRACE))).isEqualTo(OLD_TRACE + "\n");
        assertThat(dir.resolve("regions/apac.log")).doesNotExist();
    }

    @Test
    void anUnreachableRegionIsNamedAndTheOthersAreStillSynced() throws Exception {
        // a port on americas' address where nothing listens
        String host = "127.0.3.1";
        String nobody = "americas=rsync://" + host + ":" + Ports.freeTcp(host) + "/americas/";
        Run run = sync(List.of("-s", dir.resolve("source").toString(), urls.get(0), nobody));
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err())
                .contains("americas: could not write the in-progress marker; not syncing")
                .contains("FAILED: americas (of 2 regions)");
        assertThat(read(region("europe").resolve(TRACE))).isNotEqualTo(OLD_TRACE + "\n");
        assertThat(read(region("americas").resolve(TRACE))).isEqualTo(OLD_TRACE + "\n");
    }

    @Test
    void badUsageSaysWhatIsWrong() throws Exception {
        Run none = sync(List.of("-s", dir.resolve("source").toString(), "-c", "/dev/null"));
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("no regions");
        Run badName = sync(List.of("-s", dir.toString(), "Europe=/tmp/x/"));
        assertThat(badName.status()).isEqualTo(2);
        assertThat(badName.err()).contains("invalid region name 'Europe'");
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "source /srv\nregoin europe /srv/www\n");
        Run badKey = sync(List.of("-c", conf.toString()));
        assertThat(badKey.status()).isEqualTo(2);
        assertThat(badKey.err()).contains(conf + ":2: unknown key 'regoin'");
    }
}
