package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.actuator.dns.DnsWire;
import dev.pharos.domain.RecordKey;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Ports;
import dev.pharos.testing.SmallFilesystem;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A Pharos process whose data directory is on a small real filesystem (a 1 MiB tmpfs in a mount
 * namespace of its own) that fills up: failover goes on, the instance says its journal is failing
 * (readiness, status, metric), and once there is room again every event is written, each on a line
 * of its own.
 */
class DiskFullIT {
    private static final String PHAROS_IP = "127.0.110.9";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFullDataDirectoryNeitherStallsFailoverNorLosesTheJournal() throws Exception {
        Path dir = Files.createTempDirectory("pharos-disk-full");
        Path mountPoint = Files.createDirectory(dir.resolve("mnt"));
        try (SmallFilesystem fs = SmallFilesystem.mount(mountPoint, 1024);
                LoopbackHttpServer r1 = new LoopbackHttpServer("127.0.110.1", "r1").start();
                LoopbackHttpServer r2 = new LoopbackHttpServer("127.0.111.1", "r2").start()) {
            Path data = fs.root().resolve("data");
            int dns = Ports.freeUdpAndTcp(PHAROS_IP);
            TestTopology t =
                    TestTopology.node("vp1")
                            .http(PHAROS_IP)
                            .dataDir(data)
                            .timings(Timings.FAST)
                            .region("r1", r1)
                            .region("r2", r2)
                            .fallbacksInTurn()
                            .roundRobin("cdn.example.test", 5)
                            .policy("hold-down", "1s")
                            .policy("max-removals", 2)
                            .zone("example.test")
                            .embeddedDns(PHAROS_IP, dns);
            try (PharosInstance pharos =
                    new PharosInstance(
                            t,
                            dir,
                            List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))) {
                pharos.start();
                await(Duration.ofSeconds(60), pharos::live);
                await(Duration.ofSeconds(30), () -> pharos.status("/q/health/ready") == 200);
                assertThat(served(dns)).containsExactly("127.0.110.1", "127.0.111.1");

                fs.fill("filler");
                r1.stop();
                // DNS first: r1 leaves the answer although nothing can be written
                await(Duration.ofSeconds(20), () -> served(dns).equals(Set.of("127.0.111.1")));
                await(Duration.ofSeconds(10), () -> pharos.status("/q/health/ready") == 503);
                assertThat(pharos.get("/q/health/ready").body())
                        .contains("journal cannot be written since")
                        .contains("No space left on device");
                JsonNode storage = pharos.statusJson().get("storage");
                assertThat(storage.get("journal").get("failing").asBoolean()).isTrue();
                assertThat(storage.get("journal").get("unwritten").asInt()).isPositive();
                assertThat(pharos.metrics()).contains("pharos_journal_failing 1.0");
                assertThat(
                                pharos.json("/api/v1/events?type=verdict_changed&limit=5")
                                        .get("events")
                                        .toString())
                        .as("the unwritten events are read from memory")
                        .contains("r1/lb/ipv4");

                Files.delete(fs.root().resolve("filler"));
                await(
                        Duration.ofSeconds(20),
                        () ->
                                !pharos.statusJson()
                                        .get("storage")
                                        .get("journal")
                                        .get("failing")
                                        .asBoolean());
                await(Duration.ofSeconds(10), () -> pharos.status("/q/health/ready") == 200);
                assertThat(pharos.metrics()).contains("pharos_journal_failing 0.0");
            }
            // every event is on disk, one whole JSON object per line, in order, r1's fall included
            List<String> lines = Files.readAllLines(data.resolve("journal.jsonl"));
            long previous = 0;
            boolean r1Down = false;
            for (String line : lines) {
                JsonNode e = JSON.readTree(line);
                assertThat(e.get("seq").asLong()).isEqualTo(previous + 1);
                previous = e.get("seq").asLong();
                r1Down |=
                        "VERDICT_CHANGED".equals(e.get("type").asText())
                                && "r1/lb/ipv4".equals(e.path("target").asText());
            }
            assertThat(r1Down).isTrue();
        }
    }

    private static Set<String> served(int dnsPort) throws Exception {
        return DnsWire.query(
                        new InetSocketAddress(PHAROS_IP, dnsPort),
                        new RecordKey("cdn.example.test", "A"),
                        Duration.ofSeconds(1))
                .map(s -> (Set<String>) new TreeSet<>(s.values()))
                .orElse(Set.of());
    }

    private static void await(Duration within, Callable<Boolean> c) {
        Awaitility.await()
                .atMost(within)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(c);
    }
}
