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
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The forging scenario of issue 14, against three Pharos processes: whoever holds vp1's peer
 * credential posts snapshots named vp2 and vp3 that vote europe DOWN, to every instance, for six
 * seconds, and a snapshot with vp2's real run id and round {@code Long.MAX_VALUE}. No verdict
 * changes anywhere, every forged request is refused and counted, the journal shows it, and no token
 * appears in a log, an API answer or the journal. Then the one canary they share goes down: every
 * vantage point abstains, and quorum reads as lost everywhere, visibly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerIdentityIT {
    private static final String EU = "europe/lb/ipv4";
    private static final String TOKEN = "it-forge-" + HexFormat.of().formatHex(randomBytes(16));
    private static final Timings TIMINGS = Timings.DEFAULTS.withRise(2).withWarmupRounds(3);

    private static LoopbackHttpServer europeLb;
    private static LoopbackHttpServer apacLb;
    private static LoopbackHttpServer canary;
    private static Cluster cluster;
    private static Path dir;
    private static final Map<String, Integer> forgedTo = new HashMap<>();

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @BeforeAll
    static void startThreeInstances() throws Exception {
        europeLb = new LoopbackHttpServer("127.0.1.1", "europe-lb").start();
        apacLb = new LoopbackHttpServer("127.0.2.1", "apac-lb").start();
        canary = new LoopbackHttpServer("127.0.4.1", "canary").start();
        dir = Files.createTempDirectory("pharos-peer-identity-it");
        cluster =
                new Cluster(
                        3,
                        new TestTopology()
                                .timings(TIMINGS)
                                .region("europe", europeLb)
                                .region("apac", apacLb)
                                .set("pharos.quorum.canaries[0].name", "anchor")
                                .set("pharos.quorum.canaries[0].address", canary.address())
                                .set("pharos.quorum.canaries[0].port", canary.port()),
                        true,
                        dir,
                        TOKEN,
                        List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cluster.startAll();
        cluster.awaitOrDump(
                Duration.ofSeconds(90),
                "all three live",
                () -> cluster.instances().stream().allMatch(PharosInstance::live));
        cluster.awaitOrDump(
                Duration.ofSeconds(60),
                "all three warm, every verdict UP, every peer reachable",
                () ->
                        cluster.instances().stream()
                                .allMatch(
                                        p -> {
                                            JsonNode s = p.statusJson();
                                            boolean peers = true;
                                            for (JsonNode peer : s.get("peers")) {
                                                peers &= peer.get("reachable").asBoolean();
                                            }
                                            return StatusJson.warm(s)
                                                    && StatusJson.allUp(s)
                                                    && peers;
                                        }));
    }

    @AfterAll
    static void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
        for (LoopbackHttpServer s : new LoopbackHttpServer[] {europeLb, apacLb, canary}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    /** A snapshot as a peer sends it, voting europe's load balancer DOWN with a fresh result. */
    private static String downSnapshot(String vantage, String instance, long round) {
        return """
               {"vantage":"%s","instance":"%s","startedAt":"%s","round":%d,"now":"%s",
                "abstaining":false,
                "targets":{"europe/lb/ipv4":{"vote":"DOWN","ageMs":5,
                  "last":{"success":false,"reason":"REFUSED"}}}}
               """
                .formatted(vantage, instance, Instant.now().minusSeconds(5), round, Instant.now());
    }

    @Test
    @Order(1)
    void snapshotsForgedWithVp1sCredentialChangeNoVerdictAndAreRefusedCountedAndJournaled() {
        Map<String, Instant> before = since();
        String vp1 = cluster.token(1);
        long round = 1;
        Instant end = Instant.now().plusSeconds(6);
        while (Instant.now().isBefore(end)) {
            for (PharosInstance target : cluster.instances()) {
                for (String victim : List.of("vp2", "vp3")) {
                    HttpResponse<String> r =
                            target.post(
                                    "/api/v1/observations",
                                    vp1,
                                    downSnapshot(victim, "forged-" + victim, round++));
                    assertThat(r).as("an answer from " + target.name()).isNotNull();
                    // vp1 itself does not take its own token from anyone: that is 401
                    assertThat(r.statusCode())
                            .as(target.name() + " refuses a snapshot of " + victim)
                            .isEqualTo(target.name().equals("vp1") ? 401 : 403);
                    assertThat(r.headers().firstValue("Content-Type"))
                            .hasValueSatisfying(
                                    t -> assertThat(t).startsWith("application/problem+json"));
                    forgedTo.merge(target.name(), 1, Integer::sum);
                }
            }
            assertEveryVerdictUnchanged(before);
        }
        // the verdicts still stand well after the pushes stopped
        Instant settle = Instant.now().plusSeconds(3);
        while (Instant.now().isBefore(settle)) {
            assertEveryVerdictUnchanged(before);
        }
        for (PharosInstance p : List.of(cluster.vp(2), cluster.vp(3))) {
            assertThat(refused(p, "vp1", "vantage"))
                    .as(p.name() + ": every forged snapshot counted")
                    .isEqualTo(forgedTo.get(p.name()));
            JsonNode events = p.json("/api/v1/events?type=PEER_REFUSED").get("events");
            assertThat(events).as(p.name() + ": the forgery is journaled").isNotEmpty();
            JsonNode first = events.get(events.size() - 1);
            assertThat(first.get("data").get("caller").asText()).isEqualTo("vp1");
            assertThat(first.get("data").get("reason").asText()).isEqualTo("vantage");
            assertThat(first.get("message").asText()).contains("sent with vp1's credential");
        }
        assertThat(refused(cluster.vp(1), "unknown", "token"))
                .as("vp1: its own token names no peer")
                .isGreaterThanOrEqualTo(forgedTo.get("vp1"));
    }

    @Test
    @Order(2)
    void aRoundOfLongMaxValueWithVp1sRealRunIdDoesNotShutVp1Out() {
        PharosInstance vp2 = cluster.vp(2);
        JsonNode held = StatusJson.peer(vp2.statusJson(), "vp1");
        String instance = held.get("instance").asText();
        HttpResponse<String> r =
                vp2.post(
                        "/api/v1/observations",
                        cluster.token(1),
                        downSnapshot("vp1", instance, Long.MAX_VALUE));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("round");
        long roundBefore = StatusJson.peer(vp2.statusJson(), "vp1").get("round").asLong();
        cluster.awaitOrDump(
                Duration.ofSeconds(10),
                "vp2 taking vp1's genuine snapshots again",
                () -> {
                    JsonNode now = StatusJson.peer(vp2.statusJson(), "vp1");
                    return now.get("reachable").asBoolean()
                            && now.get("instance").asText().equals(instance)
                            && now.get("round").asLong() > roundBefore;
                });
        assertThat(refused(vp2, "vp1", "round")).isEqualTo(1);
        assertThat(StatusJson.allUp(vp2.statusJson())).isTrue();
    }

    @Test
    @Order(3)
    void noTokenAppearsInALogAnAnswerOrTheJournal() throws Exception {
        List<String> secrets = List.of(cluster.token(1), cluster.token(2), cluster.token(3));
        for (PharosInstance p : cluster.instances()) {
            String answers =
                    p.get("/api/v1/status").body()
                            + p.get("/api/v1/events?limit=500").body()
                            + p.metrics()
                            + p.get("/q/health/ready").body();
            String journal = Files.readString(dir.resolve(p.name()).resolve("journal.jsonl"));
            for (String secret : secrets) {
                assertThat(p.logText()).as(p.name() + " log").doesNotContain(secret);
                assertThat(answers).as(p.name() + " answers").doesNotContain(secret);
                assertThat(journal).as(p.name() + " journal").doesNotContain(secret);
            }
            // the same token prefix every token shares is absent too
            assertThat(p.logText() + answers + journal).doesNotContain(TOKEN);
        }
    }

    @Test
    @Order(4)
    void whenEveryVantagePointAbstainsQuorumIsLostAndItShows() {
        canary.stop();
        try {
            cluster.awaitOrDump(
                    Duration.ofSeconds(30),
                    "every instance seeing every vantage point abstain, quorum lost",
                    () ->
                            cluster.instances().stream()
                                    .allMatch(
                                            p -> {
                                                JsonNode q = p.statusJson().get("quorum");
                                                return !q.get("held").asBoolean()
                                                        && q.get("abstaining").size() == 3;
                                            }));
            for (PharosInstance p : cluster.instances()) {
                assertThat(p.metrics())
                        .as(p.name())
                        .contains(
                                "pharos_vantage_abstaining{vantage=\"vp1\"} 1.0",
                                "pharos_vantage_abstaining{vantage=\"vp2\"} 1.0",
                                "pharos_vantage_abstaining{vantage=\"vp3\"} 1.0",
                                "pharos_quorum_held 0.0");
                HttpResponse<String> ready = p.get("/q/health/ready");
                assertThat(ready.statusCode()).as(p.name()).isEqualTo(503);
                assertThat(ready.body())
                        .contains("3 of them abstaining (vp1, vp2, vp3), 2 voting needed")
                        .contains("abstaining (all canaries down, votes not counted)");
                JsonNode started = p.json("/api/v1/events?type=ABSTENTION_STARTED").get("events");
                List<String> who = new java.util.ArrayList<>();
                started.forEach(e -> who.add(e.get("data").get("vantage").asText()));
                assertThat(who).as(p.name()).containsExactlyInAnyOrder("vp1", "vp2", "vp3");
                assertThat(p.json("/api/v1/events?type=QUORUM_LOST").get("events"))
                        .as(p.name())
                        .isNotEmpty();
            }
        } finally {
            canary.start();
        }
        cluster.awaitOrDump(
                Duration.ofSeconds(30),
                "quorum held again everywhere, nobody abstaining",
                () ->
                        cluster.instances().stream()
                                .allMatch(
                                        p -> {
                                            JsonNode q = p.statusJson().get("quorum");
                                            return q.get("held").asBoolean()
                                                    && q.get("abstaining").isEmpty();
                                        }));
        for (PharosInstance p : cluster.instances()) {
            assertThat(p.json("/api/v1/events?type=ABSTENTION_ENDED").get("events").size())
                    .as(p.name())
                    .isEqualTo(3);
            assertThat(p.metrics()).contains("pharos_vantage_abstaining{vantage=\"vp2\"} 0.0");
        }
    }

    private static void assertEveryVerdictUnchanged(Map<String, Instant> before) {
        for (PharosInstance p : cluster.instances()) {
            JsonNode verdict = p.target("europe", EU).get("verdict");
            assertThat(verdict.get("health").asText()).as(p.name()).isEqualTo("UP");
            assertThat(Instant.parse(verdict.get("since").asText()))
                    .as(p.name() + ": the verdict never changed")
                    .isEqualTo(before.get(p.name()));
        }
    }

    private static Map<String, Instant> since() {
        Map<String, Instant> out = new HashMap<>();
        for (PharosInstance p : cluster.instances()) {
            out.put(p.name(), p.verdictSince("europe", EU));
        }
        return out;
    }

    /** pharos_peer_refused_total{caller,reason} on one instance. */
    private static int refused(PharosInstance p, String caller, String reason) {
        Matcher m =
                Pattern.compile(
                                "pharos_peer_refused_total\\{caller=\""
                                        + caller
                                        + "\",reason=\""
                                        + reason
                                        + "\"\\} ([0-9.]+)")
                        .matcher(p.metrics());
        return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
    }
}
