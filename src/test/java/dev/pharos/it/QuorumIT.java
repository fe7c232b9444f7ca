package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import dev.pharos.testing.Tools;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three Pharos processes (the built jar) as equal peers at 127.0.9.1-3, watching three regions of
 * loopback HTTP servers. Faults are real: servers stopped, packets dropped by nftables rules in a
 * table of this test's own, a process killed and started again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuorumIT {
    private static final String EU = "europe/lb/ipv4";
    private static final String APAC = "apac/lb/ipv4";
    private static final String TOKEN = "it-peer-" + HexFormat.of().formatHex(randomBytes(16));
    private static final Timings TIMINGS = Timings.DEFAULTS.withRise(2).withWarmupRounds(3);

    private static LoopbackHttpServer europeLb;
    private static LoopbackHttpServer europeWeb1;
    private static LoopbackHttpServer apacLb;
    private static LoopbackHttpServer americasLb;
    private static Cluster cluster;
    private static Nft nft;

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @BeforeAll
    static void startThreeInstances() throws Exception {
        String why = Nft.unavailable();
        Tools.need(why == null, "nftables and root, for QuorumIT: " + why);
        nft = new Nft();
        europeLb = new LoopbackHttpServer("127.0.1.1", "europe-lb").start();
        europeWeb1 = new LoopbackHttpServer("127.0.1.11", "europe-web1").start();
        apacLb = new LoopbackHttpServer("127.0.2.1", "apac-lb").start();
        americasLb = new LoopbackHttpServer("127.0.3.1", "americas-lb").start();
        Path dir = Files.createTempDirectory("pharos-quorum-it");
        cluster =
                new Cluster(
                        3,
                        new TestTopology()
                                .timings(TIMINGS)
                                .region("europe", r -> r.lb(europeLb).backend("web1", europeWeb1))
                                .region("apac", apacLb)
                                .region("americas", americasLb),
                        true,
                        dir,
                        TOKEN,
                        List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cluster.startAll();
        cluster.awaitOrDump(Duration.ofSeconds(90), "all three instances live", () -> allLive());
        cluster.awaitOrDump(
                Duration.ofSeconds(60),
                "all three warm, with every verdict UP",
                () ->
                        cluster.instances().stream()
                                .allMatch(
                                        p -> {
                                            JsonNode s = p.statusJson();
                                            return StatusJson.warm(s) && StatusJson.allUp(s);
                                        }));
    }

    private static boolean allLive() {
        return cluster.instances().stream().allMatch(PharosInstance::live);
    }

    private static boolean allUp(PharosInstance p) {
        return StatusJson.allUp(p.statusJson());
    }

    @AfterEach
    void removeEveryRule() {
        if (nft != null) {
            nft.clear();
        }
    }

    @AfterAll
    static void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
        if (nft != null) {
            nft.close();
        }
        for (LoopbackHttpServer s :
                new LoopbackHttpServer[] {europeLb, europeWeb1, apacLb, americasLb}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    @Test
    @Order(1)
    void oneVantagePointThatCannotReachEuropeChangesNothing() throws Exception {
        PharosInstance vp1 = cluster.vp(1);
        Map<String, Instant> before = since("europe", EU);
        nft.drop(
                vp1.address(),
                List.of(europeLb.address(), europeWeb1.address()),
                List.of(europeLb.port(), europeWeb1.port()));
        try {
            cluster.awaitOrDump(
                    Duration.ofSeconds(20),
                    "vp1's own vote on europe DOWN",
                    () -> "DOWN".equals(vp1.ownVote("europe", EU)));
            cluster.awaitOrDump(
                    Duration.ofSeconds(10),
                    "vp2 and vp3 holding vp1's fresh DOWN vote",
                    () ->
                            peerVote(cluster.vp(2), "vp1", "DOWN", true)
                                    && peerVote(cluster.vp(3), "vp1", "DOWN", true));
            Instant end = Instant.now().plusSeconds(3);
            while (Instant.now().isBefore(end)) {
                for (PharosInstance p : cluster.instances()) {
                    JsonNode verdict = p.target("europe", EU).get("verdict");
                    assertThat(verdict.get("health").asText()).as(p.name()).isEqualTo("UP");
                    assertThat(Instant.parse(verdict.get("since").asText()))
                            .as(p.name() + ": the verdict never changed")
                            .isEqualTo(before.get(p.name()));
                    assertThat(p.json("/api/v1/regions/europe").get("state").asText())
                            .isEqualTo("HEALTHY");
                }
                Thread.sleep(250); // sampling for 3 s: the point is that nothing changes
            }
            assertThat(cluster.vp(2).target("europe", EU).get("verdict").get("reason").asText())
                    .isEqualTo("UP: 2 of 3 vantage points");
        } finally {
            nft.clear();
        }
        cluster.awaitOrDump(
                Duration.ofSeconds(20),
                "vp1's own vote on europe back UP",
                () -> "UP".equals(vp1.ownVote("europe", EU)));
    }

    @Test
    @Order(2)
    void whenEuropeReallyDiesAllThreeAgreeWithinFallPlusOneIntervalsAndOneExchange() {
        Instant died = Instant.now();
        europeLb.stop();
        europeWeb1.stop();
        try {
            cluster.awaitOrDump(
                    Duration.ofSeconds(30),
                    "europe DOWN on all three",
                    () ->
                            cluster.instances().stream()
                                    .allMatch(p -> "DOWN".equals(p.verdict("europe", EU))));
            Instant last =
                    since("europe", EU).values().stream().max(Instant::compareTo).orElseThrow();
            Duration took = Duration.between(died, last);
            Duration bound =
                    TIMINGS.interval()
                            .multipliedBy(TIMINGS.fall() + 1)
                            .plus(TIMINGS.exchangeInterval());
            System.out.printf(
                    "QuorumIT: europe died -> DOWN on all three in %d ms (bound %d ms)%n",
                    took.toMillis(), bound.toMillis());
            assertThat(took).isLessThanOrEqualTo(bound);
            for (PharosInstance p : cluster.instances()) {
                assertThat(p.json("/api/v1/regions/europe").get("state").asText())
                        .isEqualTo("DEAD");
                assertThat(p.target("europe", EU).get("verdict").get("reason").asText())
                        .matches("DOWN: [23] of 3 vantage points, fall=2");
            }
        } finally {
            europeLb.start();
            europeWeb1.start();
        }
        cluster.awaitOrDump(
                Duration.ofSeconds(30),
                "europe UP again on all three",
                () ->
                        cluster.instances().stream()
                                .allMatch(p -> "UP".equals(p.verdict("europe", EU))));
    }

    @Test
    @Order(3)
    void aVantagePointCutOffFromItsPeersFreezesWhileTheOtherTwoStillDecide() {
        PharosInstance vp1 = cluster.vp(1);
        PharosInstance vp2 = cluster.vp(2);
        PharosInstance vp3 = cluster.vp(3);
        nft.drop(vp1.address(), List.of(vp2.address()), List.of(vp2.port()));
        nft.drop(vp1.address(), List.of(vp3.address()), List.of(vp3.port()));
        nft.drop(vp2.address(), List.of(vp1.address()), List.of(vp1.port()));
        nft.drop(vp3.address(), List.of(vp1.address()), List.of(vp1.port()));
        Instant frozenSince = vp1.verdictSince("apac", APAC);
        try {
            cluster.awaitOrDump(
                    Duration.ofSeconds(20),
                    "vp1 losing quorum",
                    () -> !vp1.statusJson().get("quorum").get("held").asBoolean());
            HttpResponse<String> ready = vp1.get("/q/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body())
                    .contains("quorum lost: 1 of 3 vantage points reachable, 2 needed");
            assertThat(vp1.metrics())
                    .containsPattern("pharos_quorum_lost_total(\\{\\})? [1-9]")
                    .contains("pharos_quorum_held 0.0")
                    .contains("pharos_peer_up{peer=\"vp2\"} 0.0")
                    .contains("pharos_peer_up{peer=\"vp3\"} 0.0");
            JsonNode vp1Peers = vp1.statusJson().get("peers");
            assertThat(vp1Peers.get(0).get("lastError").asText()).startsWith("pull: ");

            cluster.awaitOrDump(
                    Duration.ofSeconds(10),
                    "vp2 and vp3 seeing vp1 gone, still with quorum",
                    () -> {
                        JsonNode s2 = vp2.statusJson();
                        JsonNode s3 = vp3.statusJson();
                        return !reachable(s2, "vp1")
                                && StatusJson.quorumHeld(s2)
                                && !reachable(s3, "vp1")
                                && StatusJson.quorumHeld(s3);
                    });

            apacLb.stop();
            cluster.awaitOrDump(
                    Duration.ofSeconds(20),
                    "apac DOWN on vp2 and vp3",
                    () ->
                            "DOWN".equals(vp2.verdict("apac", APAC))
                                    && "DOWN".equals(vp3.verdict("apac", APAC)));
            assertThat(vp2.target("apac", APAC).get("verdict").get("reason").asText())
                    .isEqualTo("DOWN: 2 of 3 vantage points, fall=2");
            cluster.awaitOrDump(
                    Duration.ofSeconds(10),
                    "vp1's own vote on apac DOWN",
                    () -> "DOWN".equals(vp1.ownVote("apac", APAC)));
            JsonNode frozen = vp1.target("apac", APAC).get("verdict");
            assertThat(frozen.get("health").asText()).as("vp1 is frozen").isEqualTo("UP");
            assertThat(Instant.parse(frozen.get("since").asText())).isEqualTo(frozenSince);
            assertThat(vp1.json("/api/v1/regions/apac").get("state").asText()).isEqualTo("HEALTHY");
        } finally {
            nft.clear();
        }
        cluster.awaitOrDump(
                Duration.ofSeconds(20),
                "vp1 regaining quorum and agreeing apac is DOWN",
                () -> {
                    JsonNode s = vp1.statusJson();
                    return StatusJson.quorumHeld(s)
                            && "DOWN".equals(StatusJson.verdict(s, "apac", APAC));
                });
        apacLb.start();
        cluster.awaitOrDump(
                Duration.ofSeconds(30),
                "apac UP again on all three",
                () ->
                        cluster.instances().stream()
                                .allMatch(p -> "UP".equals(p.verdict("apac", APAC))));
    }

    @Test
    @Order(4)
    void aRestartedInstanceChangesNothingUntilWarmUpIsDone() throws Exception {
        PharosInstance vp1 = cluster.vp(1);
        PharosInstance vp2 = cluster.vp(2);
        PharosInstance vp3 = cluster.vp(3);
        String oldInstance = peer(vp1, "vp3").get("instance").asText();
        Map<String, Instant> before = since("europe", EU);

        vp3.kill();
        cluster.awaitOrDump(
                Duration.ofSeconds(15),
                "vp1 and vp2 seeing vp3 gone",
                () -> !peerReachable(vp1, "vp3") && !peerReachable(vp2, "vp3"));
        assertThat(vp1.statusJson().get("quorum").get("held").asBoolean()).isTrue();

        vp3.start();
        cluster.awaitOrDump(Duration.ofSeconds(60), "vp3 live again", vp3::live);
        JsonNode s = vp3.statusJson();
        assertThat(StatusJson.warm(s)).as("a restarted instance starts warming up").isFalse();
        // Each sample is one response: warm-up can end between two requests, so "warming" from
        // one and "ready" from the next would be a false alarm on a busy machine.
        int readyWhileWarming = 0;
        int samples = 0;
        Instant deadline = Instant.now().plusSeconds(30);
        while (!StatusJson.warm(s) && Instant.now().isBefore(deadline)) {
            samples++;
            if (StatusJson.ready(s)) {
                readyWhileWarming++;
            }
            HttpResponse<String> ready = vp3.get("/q/health/ready");
            if (ready != null && ready.body().contains("warming up")) {
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            }
            Thread.sleep(100); // sampling the warm-up: readiness must stay down all along
            s = vp3.statusJson();
        }
        assertThat(StatusJson.warm(s)).as("warm-up done within 30 s").isTrue();
        assertThat(s.get("warmup").get("roundsWithQuorum").asInt())
                .isGreaterThanOrEqualTo(TIMINGS.warmupRounds());
        assertThat(samples).as("warm-up was observed").isPositive();
        assertThat(readyWhileWarming).as("never ready while warming up").isZero();

        JsonNode seen = peer(vp1, "vp3");
        assertThat(seen.get("reachable").asBoolean()).isTrue();
        assertThat(seen.get("instance").asText())
                .as("the restarted peer's snapshots were taken despite its lower round")
                .isNotEqualTo(oldInstance);
        Map<String, Instant> after = since("europe", EU);
        assertThat(after.get("vp1")).isEqualTo(before.get("vp1"));
        assertThat(after.get("vp2")).isEqualTo(before.get("vp2"));
        cluster.awaitOrDump(Duration.ofSeconds(10), "vp3 with every verdict UP", () -> allUp(vp3));
    }

    @Test
    @Order(5)
    void thePeerTokenNeverAppearsInAnyLog() {
        for (PharosInstance p : cluster.instances()) {
            assertThat(p.logText()).as(p.name()).contains("exchanging observations with 2 peers");
            assertThat(p.logText()).as(p.name()).doesNotContain(TOKEN);
        }
    }

    private static Map<String, Instant> since(String region, String target) {
        Map<String, Instant> out = new HashMap<>();
        for (PharosInstance p : cluster.instances()) {
            out.put(p.name(), p.verdictSince(region, target));
        }
        return out;
    }

    private static JsonNode peer(PharosInstance p, String peer) {
        return StatusJson.peer(p.statusJson(), peer);
    }

    private static boolean peerReachable(PharosInstance p, String peer) {
        return reachable(p.statusJson(), peer);
    }

    private static boolean reachable(JsonNode status, String peer) {
        return StatusJson.peer(status, peer).get("reachable").asBoolean();
    }

    /** Whether {@code p} holds {@code vantage}'s vote on europe's load balancer as given. */
    private static boolean peerVote(PharosInstance p, String vantage, String vote, boolean fresh) {
        for (JsonNode v : p.target("europe", EU).get("vantagePoints")) {
            if (v.get("vantage").asText().equals(vantage)) {
                return v.get("vote").asText().equals(vote) && v.get("fresh").asBoolean() == fresh;
            }
        }
        return false;
    }
}
