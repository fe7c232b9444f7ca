package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cooperative re-probe between three real processes. vp1 probes every second, vp2 and vp3 only
 * every 20 s, so when europe's load balancer starts refusing, vp1 is almost always the first to see
 * it; the first failure anywhere asks the others to re-probe at once, and their own probes (not the
 * asker's word) turn their votes DOWN. The evidence is what each process says it did (journal,
 * metrics), not timing.
 */
class CooperativeReprobeIT {
    private static final String EU = "europe/lb/ipv4";
    private static final String TOKEN = "it-peer-" + HexFormat.of().formatHex(randomBytes(16));
    private static final Duration MS = Duration.ofMillis(1);

    /** The defaults, except a stale-after that outlasts vp2's and vp3's 20 s interval. */
    private static final Timings TIMINGS =
            new Timings(
                    MS.multipliedBy(1000),
                    MS.multipliedBy(700),
                    MS.multipliedBy(500),
                    MS.multipliedBy(200),
                    2,
                    2,
                    MS.multipliedBy(1000),
                    MS.multipliedBy(500),
                    MS.multipliedBy(25_000),
                    2);

    private static LoopbackHttpServer europeLb;
    private static LoopbackHttpServer apacLb;
    private static LoopbackHttpServer americasLb;
    private static Cluster cluster;

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @BeforeAll
    static void startThreeInstances() throws Exception {
        europeLb = new LoopbackHttpServer("127.0.1.1", "europe-lb").start();
        apacLb = new LoopbackHttpServer("127.0.2.1", "apac-lb").start();
        americasLb = new LoopbackHttpServer("127.0.3.1", "americas-lb").start();
        Path dir = Files.createTempDirectory("pharos-reprobe-it");
        cluster =
                new Cluster(
                        3,
                        new TestTopology()
                                .timings(TIMINGS)
                                .region("europe", europeLb)
                                .region("apac", apacLb)
                                .region("americas", americasLb),
                        true,
                        dir,
                        TOKEN,
                        List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                        (i, t) -> {
                            if (i > 1) {
                                t.probe("interval", "20s");
                            }
                        });
        cluster.startAll();
        cluster.awaitOrDump(
                Duration.ofSeconds(90),
                "all three instances live",
                () -> cluster.instances().stream().allMatch(PharosInstance::live));
        cluster.awaitOrDump(
                Duration.ofSeconds(90),
                "all three warm, with every verdict UP",
                () ->
                        cluster.instances().stream()
                                .allMatch(
                                        p -> {
                                            JsonNode s = p.statusJson();
                                            return StatusJson.warm(s) && StatusJson.allUp(s);
                                        }));
    }

    @AfterAll
    static void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
        for (LoopbackHttpServer s : new LoopbackHttpServer[] {europeLb, apacLb, americasLb}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    @Test
    void theFirstFailureAnywhereHasThePeersReprobeAndEachVotesOnItsOwnProbes() {
        cluster.awaitOrDump(
                Duration.ofSeconds(60),
                "every own vote on europe UP (vp2's and vp3's first probes may be 20 s away)",
                () ->
                        cluster.instances().stream()
                                .allMatch(p -> "UP".equals(p.ownVote("europe", EU))));
        // start-up on a loaded machine may have had failures (and re-probes) of its own
        Map<String, Double> sentBefore = new HashMap<>();
        Map<String, Double> probedBefore = new HashMap<>();
        Map<String, Long> seqBefore = new HashMap<>();
        for (PharosInstance p : cluster.instances()) {
            sentBefore.put(p.name(), reprobes(p, "sent", "sent"));
            probedBefore.put(p.name(), reprobes(p, "received", "probed"));
            seqBefore.put(
                    p.name(),
                    peerReprobes(p).stream().mapToLong(e -> e.get("seq").asLong()).max().orElse(0));
        }

        europeLb.stop();
        cluster.awaitOrDump(
                Duration.ofSeconds(30),
                "europe DOWN on all three",
                () ->
                        cluster.instances().stream()
                                .allMatch(p -> "DOWN".equals(p.verdict("europe", EU))));

        // whoever saw the failure first (vp1 almost always: it probes every second) asked the
        // others, who re-probed at once; with 20 s intervals they would otherwise wait
        List<String> senders =
                cluster.instances().stream()
                        .filter(p -> reprobes(p, "sent", "sent") > sentBefore.get(p.name()))
                        .map(PharosInstance::name)
                        .toList();
        assertThat(senders).as("vantage points that asked their peers").isNotEmpty();
        List<String> reprobed = new ArrayList<>();
        for (PharosInstance p : cluster.instances()) {
            List<JsonNode> asked =
                    peerReprobes(p).stream()
                            .filter(e -> e.get("seq").asLong() > seqBefore.get(p.name()))
                            .toList();
            if (asked.isEmpty()) {
                continue;
            }
            reprobed.add(p.name());
            for (JsonNode e : asked) {
                String by = e.get("data").get("by").asText();
                assertThat(senders).as("the asker of " + e).contains(by);
                assertThat(by).isNotEqualTo(p.name());
                assertThat(e.get("data").get("targets").toString()).contains(EU);
                assertThat(e.get("data").get("reason").asText())
                        .startsWith("failed at " + by + ": ")
                        .contains("refused");
            }
            assertThat(reprobes(p, "received", "probed")).isGreaterThan(probedBefore.get(p.name()));
        }
        assertThat(reprobed)
                .as("vantage points that re-probed europe at a peer's request")
                .hasSizeGreaterThanOrEqualTo(2);
        for (PharosInstance p : cluster.instances()) {
            // each vote is its own: DOWN from its own failed probes of europe
            assertThat(p.ownVote("europe", EU)).isEqualTo("DOWN");
            assertThat(ownLast(p).get("success").asBoolean()).isFalse();
        }

        // a peer may only ask in its own name
        double refusedBefore = reprobes(cluster.vp(3), "received", "refused");
        HttpResponse<String> forged =
                cluster.vp(3)
                        .send(
                                "POST",
                                "/api/v1/observations/reprobe",
                                cluster.token(1),
                                "{\"by\":\"vp2\",\"targets\":[\"" + EU + "\"],\"reason\":\"x\"}");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(reprobes(cluster.vp(3), "received", "refused")).isEqualTo(refusedBefore + 1);
    }

    /** This instance's latest observation of europe's load balancer, from the region view. */
    private static JsonNode ownLast(PharosInstance p) {
        // this instance's own vote comes first
        JsonNode own = p.target("europe", EU).get("vantagePoints").get(0);
        assertThat(own.get("vantage").asText()).isEqualTo(p.name());
        return own.get("last");
    }

    private static List<JsonNode> peerReprobes(PharosInstance p) {
        JsonNode page = p.json("/api/v1/events?type=reprobe&limit=100");
        List<JsonNode> out = new ArrayList<>();
        page.get("events").forEach(e -> out.add(e));
        return out.stream().filter(e -> e.get("data").has("by")).toList();
    }

    private static double reprobes(PharosInstance p, String direction, String outcome) {
        Matcher m =
                Pattern.compile(
                                "pharos_reprobes_total\\{direction=\""
                                        + direction
                                        + "\",outcome=\""
                                        + outcome
                                        + "\"[^}]*\\} ([0-9.E]+)")
                        .matcher(p.metrics());
        if (!m.find()) {
            throw new AssertionError("no pharos_reprobes_total " + direction + "/" + outcome);
        }
        return Double.parseDouble(m.group(1));
    }
}
