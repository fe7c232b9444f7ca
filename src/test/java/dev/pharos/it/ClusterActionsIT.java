package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.domain.RecordKey;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.NameServerWatch;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import dev.pharos.testing.Tools;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Operator actions on every vantage point: three Pharos processes (the built jar) at 127.0.9.1-3,
 * each its own embedded name server for example.test, watching three regions. A drain, a
 * maintenance window or a clear made through one instance's API must change what all three name
 * servers answer; an instance that was down or cut off catches up; conflicting actions on both
 * sides of a partition (nftables rules in a table of this test's own) converge to one answer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterActionsIT {
    private static final String ADMIN = "it-admin-" + Cluster.hex(16);
    private static final String PEER = "it-peer-" + Cluster.hex(16);
    private static final RecordKey CDN = Cluster.CDN;
    private static final Timings TIMINGS = Cluster.NAME_SERVER_TIMINGS;
    private static final Duration HOLD_DOWN = Cluster.NAME_SERVER_HOLD_DOWN;

    private static LoopbackHttpServer europe;
    private static LoopbackHttpServer apac;
    private static LoopbackHttpServer americas;
    private static Cluster cluster;
    private static Nft nft;

    @BeforeAll
    static void startThreeNameServers() throws Exception {
        String why = Nft.unavailable();
        Tools.need(why == null, "nftables and root, for ClusterActionsIT: " + why);
        Tools.require("nft", "nftables");
        nft = new Nft();
        europe = new LoopbackHttpServer("127.0.41.1", "europe-lb").start();
        apac = new LoopbackHttpServer("127.0.42.1", "apac-lb").start();
        americas = new LoopbackHttpServer("127.0.43.1", "americas-lb").start();
        Path dir = Files.createTempDirectory("pharos-cluster-actions-it");
        cluster =
                Cluster.ofThreeNameServers(
                        new TestTopology()
                                .region("europe", europe)
                                .region("apac", apac)
                                .region("americas", americas),
                        dir,
                        PEER,
                        ADMIN);
        cluster.startAll();
        // bounds for "eventually": a loaded machine took over 70 s to start three instances
        cluster.awaitOrDump(Duration.ofSeconds(180), "all three instances live", cluster::allLive);
    }

    /**
     * Every test starts from the same place, whatever an earlier one left behind: all three
     * running, warm, reaching each other, no drain in force, every name server answering all three
     * regions.
     */
    @BeforeEach
    void allThreeWarmAndServingEveryRegion() {
        nft.clear();
        for (PharosInstance p : cluster.instances()) {
            if (!p.running()) {
                p.start();
            }
        }
        cluster.awaitOrDump(Duration.ofSeconds(180), "all three instances live", cluster::allLive);
        for (String region : List.of("europe", "apac", "americas")) {
            cluster.vp(1).send("DELETE", "/api/v1/regions/" + region + "/drain", ADMIN, null);
        }
        for (JsonNode m : cluster.vp(1).json("/api/v1/maintenance")) {
            if (!m.get("state").asText().equals("ended")) {
                cluster.vp(1)
                        .send(
                                "DELETE",
                                "/api/v1/maintenance/" + m.get("key").asText().split("/", 2)[1],
                                ADMIN,
                                null);
            }
        }
        cluster.awaitOrDump(
                Duration.ofSeconds(120),
                "all three warm and reaching each other, every name server answering all three"
                        + " regions",
                () ->
                        all(
                                        p -> {
                                            JsonNode s = p.statusJson();
                                            boolean peers = true;
                                            for (JsonNode peer : s.get("peers")) {
                                                peers &= peer.get("reachable").asBoolean();
                                            }
                                            return StatusJson.warm(s) && peers;
                                        })
                                && allServe(Set.of()));
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
        for (LoopbackHttpServer s : new LoopbackHttpServer[] {europe, apac, americas}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    @Test
    @Order(1)
    void aDrainThroughVp1LeavesAllThreeNameServersWithinOneSecond() {
        try (NameServerWatch watch = watchAll()) {
            cluster.awaitOrDump(
                    Duration.ofSeconds(10),
                    "every name server sampled with europe in",
                    () -> all3(i -> watch.firstHaving(i, europe.address(), EPOCH).isPresent()));
            HttpResponse<String> r =
                    cluster.vp(1)
                            .send(
                                    "POST",
                                    "/api/v1/regions/europe/drain",
                                    ADMIN,
                                    "{\"reason\":\"kernel upgrade\",\"duration\":\"1h\"}");
            Instant answered = Instant.now();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            cluster.awaitOrDump(
                    Duration.ofSeconds(30),
                    "europe gone from every name server",
                    () -> all3(i -> watch.firstLacking(i, europe.address(), EPOCH).isPresent()));
            long[] gone = new long[4];
            for (int i = 1; i <= 3; i++) {
                gone[i] = millis(answered, watch.firstLacking(i, europe.address(), EPOCH));
            }
            long last = Math.max(gone[1], Math.max(gone[2], gone[3]));
            System.out.printf(
                    "ClusterActionsIT: drain through vp1, from its API answer until the answer"
                            + " without europe: vp1 %d ms, vp2 %d ms, vp3 %d ms, last %d ms"
                            + " (load %s)%n",
                    gone[1], gone[2], gone[3], last, load());
            assertThat(last)
                    .as("ms from vp1's answer until the last name server answered without europe")
                    .isLessThan(1000);
            watch.close();
            for (int i = 1; i <= 3; i++) {
                Instant out = watch.firstLacking(i, europe.address(), EPOCH).get().sent();
                assertThat(watch.firstHaving(i, europe.address(), out))
                        .as("vp%d's name server never answers europe again while it is drained", i)
                        .isEmpty();
            }
        }
        cluster.awaitOrDump(
                Duration.ofSeconds(10),
                "every vantage point shown as holding the drain, on every instance",
                () -> all(p -> heldByAll(p, "drain/europe")));
        for (int i = 2; i <= 3; i++) {
            JsonNode set = lastEvent(cluster.vp(i), "drain_set", "europe");
            assertThat(set.get("data").get("origin").asText()).isEqualTo("vp1");
            assertThat(set.get("node").asText()).isEqualTo("vp" + i);
        }

        HttpResponse<String> r =
                cluster.vp(2).send("DELETE", "/api/v1/regions/europe/drain", ADMIN, null);
        assertThat(r.statusCode())
                .as("cleared through another instance: " + r.body())
                .isEqualTo(200);
        cluster.awaitOrDump(
                Duration.ofSeconds(20),
                "europe back on all three name servers after the hold-down",
                () -> allServe(Set.of()));
        assertThat(
                        lastEvent(cluster.vp(1), "drain_removed", "europe")
                                .get("data")
                                .get("origin")
                                .asText())
                .isEqualTo("vp2");
    }

    @Test
    @Order(2)
    void vp3DownDuringADrainCatchesUpAndNeverServesTheRegionAfterItsRestart() throws Exception {
        PharosInstance vp3 = cluster.vp(3);
        long before = lastSeq(vp3);
        vp3.kill();
        HttpResponse<String> r =
                cluster.vp(1)
                        .send(
                                "POST",
                                "/api/v1/regions/apac/drain",
                                ADMIN,
                                "{\"reason\":\"rack move\",\"duration\":\"1h\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        cluster.awaitOrDump(
                Duration.ofSeconds(10),
                "apac gone from vp1 and vp2",
                () -> lacks(1, apac.address()) && lacks(2, apac.address()));
        cluster.awaitOrDump(
                Duration.ofSeconds(10),
                "vp1 showing that vp1 and vp2 hold the drain and vp3 lacks it",
                () -> {
                    JsonNode a = action(cluster.vp(1), "drain/apac");
                    return a.get("heldBy").toString().equals("[\"vp1\",\"vp2\"]")
                            && a.get("missing").toString().equals("[\"vp3\"]");
                });

        vp3.start();
        Instant restarted = Instant.now();
        JsonNode warm;
        try (NameServerWatch watch =
                new NameServerWatch(List.of(server(3)), CDN, Duration.ofMillis(20))) {
            cluster.awaitOrDump(
                    Duration.ofSeconds(180),
                    "vp3 warm again",
                    () -> firstEvent(vp3, "warmup_done", before) != null);
            warm = firstEvent(vp3, "warmup_done", before);
            Instant warmAt = Instant.parse(warm.get("time").asText());
            // watch on for two more rounds after its own decisions took over
            Instant watchUntil = warmAt.plus(TIMINGS.exchangeInterval().multipliedBy(2));
            cluster.awaitOrDump(
                    Duration.ofSeconds(30),
                    "two rounds of vp3's answers after its warm-up",
                    () -> Instant.now().isAfter(watchUntil));
            watch.close();
            List<NameServerWatch.Sample> answers =
                    watch.of(1).stream().filter(NameServerWatch.Sample::answered).toList();
            assertThat(answers).as("vp3's name server answered after its restart").isNotEmpty();
            System.out.printf(
                    "ClusterActionsIT: vp3 restarted; first answer %d ms after start, warm-up"
                            + " done %d ms after start (load %s)%n",
                    Duration.between(restarted, answers.get(0).received()).toMillis(),
                    Duration.between(restarted, warmAt).toMillis(),
                    load());
            // restart catch-up: silent until it had its peers' desired state, so never the
            // drained region, not even before its warm-up
            for (NameServerWatch.Sample s : answers) {
                assertThat(s.values())
                        .as("vp3's answer asked at %s, after its restart", s.sent())
                        .doesNotContain(apac.address());
            }
        }
        JsonNode drained = firstEvent(vp3, "drain_set", before);
        assertThat(drained).as("vp3 journaled the drain it took from its peers").isNotNull();
        assertThat(drained.get("region").asText()).isEqualTo("apac");
        assertThat(drained.get("data").get("origin").asText()).isEqualTo("vp1");
        assertThat(drained.get("seq").asLong())
                .as("vp3 took the drain from its peers before its warm-up ended")
                .isLessThan(warm.get("seq").asLong());
        JsonNode caught = firstEvent(vp3, "catchup", before);
        assertThat(caught).as("vp3 took its peers' desired state").isNotNull();
        assertThat(caught.get("data").get("state").asText()).isEqualTo("ADOPTED");
        assertThat(caught.get("seq").asLong())
                .as("before its warm-up ended")
                .isLessThan(warm.get("seq").asLong());
        cluster.awaitOrDump(
                Duration.ofSeconds(10),
                "every vantage point shown as holding the drain of apac",
                () -> all(p -> heldByAll(p, "drain/apac")));

        r = cluster.vp(3).send("DELETE", "/api/v1/regions/apac/drain", ADMIN, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        cluster.awaitOrDump(
                Duration.ofSeconds(20), "apac back everywhere", () -> allServe(Set.of()));
    }

    @Test
    @Order(3)
    void conflictingDrainsAndClearsOnBothSidesOfAPartitionConverge() throws Exception {
        PharosInstance vp1 = cluster.vp(1);
        PharosInstance vp2 = cluster.vp(2);
        drain(vp1, "europe", "before the partition");
        drain(vp1, "americas", "before the partition");
        cluster.awaitOrDump(
                Duration.ofSeconds(10),
                "both drains held by all three",
                () -> heldByAll(vp1, "drain/europe") && heldByAll(vp1, "drain/americas"));

        // vp1 alone on one side, vp2 and vp3 on the other: peer traffic both ways is dropped
        nft.drop(
                vp1.address(),
                List.of(cluster.vp(2).address(), cluster.vp(3).address()),
                List.of(cluster.vp(2).port(), cluster.vp(3).port()));
        for (int i = 2; i <= 3; i++) {
            nft.drop(cluster.vp(i).address(), List.of(vp1.address()), List.of(vp1.port()));
        }
        cluster.awaitOrDump(
                Duration.ofSeconds(20),
                "vp1 and vp2 each see the other unreachable",
                () ->
                        !StatusJson.peer(vp1.statusJson(), "vp2").get("reachable").asBoolean()
                                && !StatusJson.peer(vp2.statusJson(), "vp1")
                                        .get("reachable")
                                        .asBoolean());

        // europe: vp1 drains it again, then vp2 clears it -> the clear is later: served
        drain(vp1, "europe", "vp1 during the partition");
        later();
        undrain(vp2, "europe");
        later();
        // americas: vp2 clears it, then vp1 drains it again -> the drain is later: drained
        undrain(vp2, "americas");
        later();
        drain(vp1, "americas", "vp1 last");

        assertThat(drainReason(vp1, "europe")).isEqualTo("vp1 during the partition");
        assertThat(drainReason(vp2, "europe")).as("the sides disagree while cut").isNull();

        nft.clear();
        cluster.awaitOrDump(
                Duration.ofSeconds(20),
                "all three agree: europe not drained, americas drained by vp1's last drain",
                () ->
                        all(
                                p ->
                                        drainReason(p, "europe") == null
                                                && "vp1 last".equals(drainReason(p, "americas"))));
        cluster.awaitOrDump(
                Duration.ofSeconds(20),
                "all three name servers answer europe and apac, not americas",
                () -> allServe(Set.of(americas.address())));
        for (PharosInstance p : cluster.instances()) {
            JsonNode europeEntry = action(p, "drain/europe");
            assertThat(europeEntry.get("state").asText()).isEqualTo("cleared");
            assertThat(europeEntry.get("origin").asText()).isEqualTo("vp2");
            assertThat(action(p, "drain/americas").get("origin").asText()).isEqualTo("vp1");
        }
        undrain(vp1, "americas");
        cluster.awaitOrDump(Duration.ofSeconds(10), "every region back", () -> allServe(Set.of()));
    }

    @Test
    @Order(4)
    void aMaintenanceWindowStartsAndEndsOnTimeOnAllThree() {
        Instant start = Instant.now().plusSeconds(5);
        Instant end = start.plusSeconds(4);
        try (NameServerWatch watch = watchAll()) {
            HttpResponse<String> r =
                    cluster.vp(2)
                            .send(
                                    "POST",
                                    "/api/v1/regions/apac/maintenance",
                                    ADMIN,
                                    "{\"reason\":\"switch swap\",\"start\":\""
                                            + start
                                            + "\",\"end\":\""
                                            + end
                                            + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            cluster.awaitOrDump(
                    Duration.ofSeconds(4),
                    "the window announced in every status before it starts",
                    () ->
                            Instant.now().isBefore(start)
                                    && all(
                                            p -> {
                                                JsonNode m = p.statusJson().get("maintenance");
                                                return m.size() == 1
                                                        && m.get(0)
                                                                .get("state")
                                                                .asText()
                                                                .equals("scheduled")
                                                        && m.get(0)
                                                                .get("region")
                                                                .asText()
                                                                .equals("apac");
                                            }));
            Instant until = end.plus(HOLD_DOWN).plus(TIMINGS.exchangeInterval()).plusSeconds(5);
            cluster.awaitOrDump(
                    Duration.ofSeconds(40),
                    "apac out and back on every name server, or the window long over",
                    () ->
                            Instant.now().isAfter(until)
                                    || all3(
                                            i ->
                                                    watch.firstLacking(i, apac.address(), EPOCH)
                                                            .flatMap(
                                                                    out ->
                                                                            watch.firstHaving(
                                                                                    i,
                                                                                    apac.address(),
                                                                                    out.received()))
                                                            .isPresent()));
            watch.close();
            long[] left = new long[4];
            long[] back = new long[4];
            for (int i = 1; i <= 3; i++) {
                Optional<NameServerWatch.Sample> out = watch.firstLacking(i, apac.address(), EPOCH);
                assertThat(out).as("vp%d's name server dropped apac", i).isPresent();
                // an answer without apac received before the start: dropped early
                left[i] = millis(start, out);
                Optional<NameServerWatch.Sample> in =
                        watch.firstHaving(i, apac.address(), out.get().received());
                assertThat(in).as("vp%d's name server answered apac again", i).isPresent();
                back[i] = millis(end, in);
            }
            System.out.printf(
                    "ClusterActionsIT: maintenance window: out after start %d/%d/%d ms, back"
                            + " after end %d/%d/%d ms (hold-down %d ms, load %s)%n",
                    left[1],
                    left[2],
                    left[3],
                    back[1],
                    back[2],
                    back[3],
                    HOLD_DOWN.toMillis(),
                    load());
            for (int i = 1; i <= 3; i++) {
                assertThat(left[i])
                        .as("vp%d: ms after the start until apac left (negative: early)", i)
                        .isBetween(0L, 999L);
                // back once it has served for hold-down since the end, at the next evaluation
                // (one round at most), plus the apply
                assertThat(back[i])
                        .as("vp%d: ms after the end until apac was back (hold-down)", i)
                        .isBetween(
                                HOLD_DOWN.toMillis(),
                                HOLD_DOWN.plus(TIMINGS.exchangeInterval()).toMillis() + 999);
            }
        }
    }

    // ---- helpers

    private static final Instant EPOCH = Instant.EPOCH;

    private static InetSocketAddress server(int i) {
        return cluster.nameServer(i);
    }

    /** Every name server asked every 20 ms from now on. */
    private static NameServerWatch watchAll() {
        return new NameServerWatch(
                List.of(server(1), server(2), server(3)), CDN, Duration.ofMillis(20));
    }

    /** Ms from {@code from} until the sample's answer arrived. */
    private static long millis(Instant from, Optional<NameServerWatch.Sample> s) {
        return Duration.between(from, s.orElseThrow().received()).toMillis();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private interface ServerCheck {
        boolean test(int i);
    }

    private static boolean all3(ServerCheck c) {
        return c.test(1) && c.test(2) && c.test(3);
    }

    /** The sequence number of the instance's latest journal line. */
    private static long lastSeq(PharosInstance p) {
        return p.json("/api/v1/events?limit=1").get("events").get(0).get("seq").asLong();
    }

    /** The first event of a type after a sequence number, or null. */
    private static JsonNode firstEvent(PharosInstance p, String type, long after) {
        JsonNode events =
                p.json("/api/v1/events?type=" + type + "&after=" + after + "&limit=1")
                        .get("events");
        return events.isEmpty() ? null : events.get(0);
    }

    private static void drain(PharosInstance p, String region, String reason) {
        HttpResponse<String> r =
                p.send(
                        "POST",
                        "/api/v1/regions/" + region + "/drain",
                        ADMIN,
                        "{\"reason\":\"" + reason + "\",\"duration\":\"1h\"}");
        assertThat(r.statusCode()).as(p.name() + ": " + r.body()).isEqualTo(200);
    }

    private static void undrain(PharosInstance p, String region) {
        HttpResponse<String> r =
                p.send("DELETE", "/api/v1/regions/" + region + "/drain", ADMIN, null);
        assertThat(r.statusCode()).as(p.name() + ": " + r.body()).isEqualTo(200);
    }

    /** Until the wall clock has moved on, so that the next action is stamped strictly later. */
    private static void later() {
        long now = System.currentTimeMillis();
        Awaitility.await()
                .pollInterval(Duration.ofMillis(2))
                .until(() -> System.currentTimeMillis() > now + 2);
    }

    /** The reason of the drain in force on a region, as the instance shows it, or null. */
    private static String drainReason(PharosInstance p, String region) {
        JsonNode a = action(p, "drain/" + region);
        return a != null && a.get("state").asText().equals("active")
                ? a.get("reason").asText()
                : null;
    }

    private static JsonNode action(PharosInstance p, String key) {
        for (JsonNode a : p.json("/api/v1/actions")) {
            if (a.get("key").asText().equals(key)) {
                return a;
            }
        }
        return null;
    }

    private static boolean heldByAll(PharosInstance p, String key) {
        JsonNode a = action(p, key);
        return a != null && a.get("heldBy").size() == 3 && a.get("missing").isEmpty();
    }

    private static JsonNode lastEvent(PharosInstance p, String type, String region) {
        JsonNode events =
                p.json(
                                "/api/v1/events?type="
                                        + type
                                        + (region == null ? "" : "&region=" + region)
                                        + "&limit=1")
                        .get("events");
        assertThat(events.size()).as(p.name() + " journaled " + type).isEqualTo(1);
        return events.get(0);
    }

    private static boolean lacks(int i, String address) {
        Set<String> values = served(i);
        return values != null && !values.contains(address);
    }

    /**
     * What vp i's name server answers for cdn.example.test, or null if it does not answer (never
     * mistaken for an answer without the region).
     */
    private static Set<String> served(int i) {
        return NameServerWatch.ask(i, server(i), CDN).values();
    }

    /** Every name server answers every region's address but those left out, and only those. */
    private static boolean allServe(Set<String> without) {
        return cluster.allServe(List.of(europe, apac, americas), without);
    }

    private interface Check {
        boolean test(PharosInstance p) throws Exception;
    }

    private static boolean all(Check c) throws Exception {
        for (PharosInstance p : cluster.instances()) {
            if (!c.test(p)) {
                return false;
            }
        }
        return true;
    }
}
