package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.domain.RecordKey;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.NameServerWatch;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restart catch-up between three processes (the built jar) at 127.0.9.1-3, each its own embedded
 * name server: vp3 is killed (SIGKILL), a region's load balancer dies while it is down, vp1 and vp2
 * take the region out, and vp3 restarts. Asked every 50 ms from the moment its process starts,
 * vp3's name server must never answer with the dead address: it stays silent until it has the
 * desired state of its deciding peers. Three restarts (a bench run asks for more).
 */
class RestartCatchUpIT {
    private static final RecordKey CDN = new RecordKey("cdn.example.test", "A");
    private static final Timings TIMINGS = Timings.DEFAULTS.withRise(2).withWarmupRounds(2);

    /** Restarts in one run: 3, or {@code -Dpharos.restart.trials} (bench/restart/run.sh: 20). */
    private static final int RESTARTS = Integer.getInteger("pharos.restart.trials", 3);

    private static LoopbackHttpServer europe;
    private static LoopbackHttpServer apac;
    private static LoopbackHttpServer americas;
    private static final int[] DNS = new int[4];
    private static Cluster cluster;

    @BeforeAll
    static void startThreeNameServers() throws Exception {
        europe = new LoopbackHttpServer("127.0.41.1", "europe-lb").start();
        apac = new LoopbackHttpServer("127.0.42.1", "apac-lb").start();
        americas = new LoopbackHttpServer("127.0.43.1", "americas-lb").start();
        for (int i = 1; i <= 3; i++) {
            DNS[i] = Ports.freeUdpAndTcp(Cluster.address(i));
        }
        Path dir = Files.createTempDirectory("pharos-restart-catchup-it");
        cluster =
                new Cluster(
                        3,
                        new TestTopology()
                                .timings(TIMINGS)
                                .region("europe", europe)
                                .region("apac", apac)
                                .region("americas", americas)
                                .roundRobin("cdn.example.test", 5)
                                .policy("hold-down", "1s")
                                .policy("max-removals", 3)
                                .zone("example.test"),
                        true,
                        dir,
                        "it-peer-restart-catchup",
                        List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                        (i, t) -> t.embeddedDns(Cluster.address(i), DNS[i]));
        cluster.startAll();
        cluster.awaitOrDump(
                Duration.ofSeconds(180),
                "all three live",
                () -> cluster.instances().stream().allMatch(PharosInstance::live));
    }

    @AfterAll
    static void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
        for (LoopbackHttpServer s : new LoopbackHttpServer[] {europe, apac, americas}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    @Test
    void aRestartedVantagePointNeverServesTheRegionThatDiedWhileItWasDown() {
        PharosInstance vp3 = cluster.vp(3);
        for (int trial = 1; trial <= RESTARTS; trial++) {
            cluster.awaitOrDump(
                    Duration.ofSeconds(180),
                    "all three warm, every name server answering all three regions",
                    () ->
                            cluster.instances().stream()
                                            .allMatch(p -> StatusJson.warm(p.statusJson()))
                                    && allServe(Set.of()));
            vp3.kill();
            europe.stop();
            cluster.awaitOrDump(
                    Duration.ofSeconds(60),
                    "europe gone from vp1's and vp2's name servers",
                    () -> lacks(1, europe.address()) && lacks(2, europe.address()));

            Instant started = Instant.now();
            vp3.start();
            List<NameServerWatch.Sample> answers;
            JsonNode status;
            try (NameServerWatch watch =
                    new NameServerWatch(List.of(server(3)), CDN, Duration.ofMillis(50))) {
                cluster.awaitOrDump(
                        Duration.ofSeconds(180),
                        "vp3 warm again",
                        () -> vp3.live() && StatusJson.warm(vp3.statusJson()));
                // two more rounds of answers after its own decisions took over
                Instant until = Instant.now().plus(TIMINGS.exchangeInterval().multipliedBy(2));
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> Instant.now().isAfter(until));
                watch.close();
                answers = watch.of(1).stream().filter(NameServerWatch.Sample::answered).toList();
                status = vp3.statusJson();
            }
            assertThat(answers).as("vp3's name server answered after its restart").isNotEmpty();
            long dead = answers.stream().filter(s -> s.has(europe.address())).count();
            System.out.printf(
                    "RestartCatchUpIT: restart %d: process start -> first answer %d ms, %d"
                            + " answers, %d with the dead address; catch-up %s (load %s)%n",
                    trial,
                    Duration.between(started, answers.get(0).received()).toMillis(),
                    answers.size(),
                    dead,
                    status.get("warmup").get("catchUp").asText(),
                    load());
            for (NameServerWatch.Sample s : answers) {
                assertThat(s.values())
                        .as("vp3's answer asked at %s, restart %d", s.sent(), trial)
                        .doesNotContain(europe.address())
                        .contains(apac.address(), americas.address());
            }
            assertThat(status.get("warmup").get("catchUp").asText()).isEqualTo("own");
            JsonNode caught = vp3.json("/api/v1/events?type=catchup&limit=1").get("events").get(0);
            assertThat(caught.get("data").get("state").asText()).isEqualTo("ADOPTED");
            assertThat(Instant.parse(caught.get("time").asText())).isAfter(started);

            europe.start();
        }
    }

    // ---- helpers

    private static InetSocketAddress server(int i) {
        return new InetSocketAddress(Cluster.address(i), DNS[i]);
    }

    private static boolean lacks(int i, String address) {
        Set<String> values = NameServerWatch.ask(i, server(i), CDN).values();
        return values != null && !values.contains(address);
    }

    private static boolean allServe(Set<String> without) {
        Set<String> want = new TreeSet<>();
        for (LoopbackHttpServer s : new LoopbackHttpServer[] {europe, apac, americas}) {
            if (!without.contains(s.address())) {
                want.add(s.address());
            }
        }
        for (int i = 1; i <= 3; i++) {
            if (!want.equals(NameServerWatch.ask(i, server(i), CDN).values())) {
                return false;
            }
        }
        return true;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
