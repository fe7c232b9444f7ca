package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.testing.Bind;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Without coordination, {@code node.actuate: true} on two of three real Pharos processes that keep
 * a BIND zone by RFC 2136: every instance counts two writers (metric, journal, readiness). When one
 * of them dies the survivors count one again, and when the last writer dies too, the remaining
 * instance counts none.
 */
class WriterCountIT {
    private static final Timings TIMINGS = Timings.DEFAULTS;
    private final List<LoopbackHttpServer> regions = new ArrayList<>();
    private Bind bind;
    private Cluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (bind != null) {
            bind.close();
        }
        regions.forEach(LoopbackHttpServer::stop);
    }

    @Test
    void twoWritersAreSeenEverywhereAndADeadWriterLeavesNone() throws Exception {
        for (int i = 1; i <= 3; i++) {
            regions.add(new LoopbackHttpServer("127.0.93." + i, "r" + i).start());
        }
        bind =
                Bind.start(
                        "127.0.0.1",
                        "example.test",
                        "cdn 5 IN A 127.0.93.1\ncdn 5 IN A 127.0.93.2\ncdn 5 IN A 127.0.93.3\n");
        TestTopology shared = new TestTopology().timings(TIMINGS);
        for (int i = 0; i < regions.size(); i++) {
            shared.region("r" + (i + 1), regions.get(i));
        }
        shared.roundRobin("cdn.example.test", 5);
        Path dir = Files.createTempDirectory("pharos-writers-it");
        cluster =
                new Cluster(
                        3,
                        shared,
                        true,
                        dir,
                        "writers-it-peer-token",
                        List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                        (i, t) -> {
                            bind.updater(t, bind.hostPort());
                            if (i <= 2) {
                                t.actuate();
                            }
                        });
        cluster.startAll();
        awaitOrDump(
                Duration.ofSeconds(240),
                "every instance counts 2 writers",
                () -> cluster.instances().stream().allMatch(p -> writers(p) == 2));
        for (PharosInstance p : cluster.instances()) {
            assertThat(p.metrics()).contains("pharos_writers_expected 1.0");
            assertThat(unmet(p))
                    .contains(
                            "writers: 2 vantage points write to the external actuators (vp1,"
                                    + " vp2); exactly one must");
            JsonNode wrong = events(p, "writers_wrong");
            assertThat(wrong).hasSize(1);
            assertThat(wrong.get(0).get("severity").asText()).isEqualTo("CRITICAL");
        }
        assertThat(cluster.vp(1).metrics()).contains("pharos_writer 1.0");
        assertThat(cluster.vp(3).metrics()).contains("pharos_writer 0.0");

        cluster.vp(2).kill();
        awaitOrDump(
                Duration.ofSeconds(20),
                "vp1 and vp3 count 1 writer",
                () -> writers(cluster.vp(1)) == 1 && writers(cluster.vp(3)) == 1);
        for (PharosInstance p : List.of(cluster.vp(1), cluster.vp(3))) {
            JsonNode ok = events(p, "writers_ok");
            assertThat(ok).hasSize(1);
            assertThat(ok.get(0).get("message").asText())
                    .isEqualTo("one vantage point writes to the external actuators: vp1");
            assertThat(unmet(p)).noneMatch(u -> u.startsWith("writers:"));
        }

        cluster.vp(1).kill();
        PharosInstance vp3 = cluster.vp(3);
        awaitOrDump(Duration.ofSeconds(20), "vp3 counts no writer", () -> writers(vp3) == 0);
        awaitOrDump(
                Duration.ofSeconds(10),
                "vp3 journals that nobody writes",
                () -> events(vp3, "writers_wrong").size() == 2);
        assertThat(events(vp3, "writers_wrong").get(0).get("message").asText())
                .isEqualTo(
                        "no vantage point writes to the external actuators: DNS and relays do not"
                                + " follow the verdicts (unreachable: vp1, vp2)");
    }

    private static int writers(PharosInstance p) {
        for (String line : p.metrics().split("\n")) {
            if (line.startsWith("pharos_writers ")) {
                return (int) Double.parseDouble(line.substring("pharos_writers ".length()));
            }
        }
        return -2;
    }

    private static List<String> unmet(PharosInstance p) {
        List<String> out = new ArrayList<>();
        p.statusJson().get("notReadyBecause").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The events of one type, newest first. */
    private static JsonNode events(PharosInstance p, String type) {
        return p.json("/api/v1/events?type=" + type).get("events");
    }

    private void awaitOrDump(Duration within, String what, Callable<Boolean> condition) {
        try {
            await(what)
                    .atMost(within)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + "\n" + cluster.logTails(40), e);
        }
    }
}
