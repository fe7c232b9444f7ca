package dev.pharos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.testing.Bind;
import dev.pharos.testing.Dig;
import dev.pharos.testing.Etcd;
import dev.pharos.testing.FaultProxy;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fencing of the one writer, against a real BIND: three Pharos processes elected on a three-member
 * etcd (lease TTL 3 s), each sending its RFC 2136 updates through a proxy of its own. The writer's
 * update (region r1 drained) is kept back in its proxy and the writer is SIGSTOPped while it waits
 * for the answer; r1 is undrained, the lease runs out, another instance takes over (and the {@code
 * _pharos-writer} record). Then the late update is delivered and the old writer continued: the
 * records are still those it read, so only the fence can refuse it, and BIND does; the old writer
 * journals the refusal and steps down, r1 stays in DNS.
 */
class FencingIT {
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final String ADMIN = "fencing-it-admin-token";
    private static final List<LoopbackHttpServer> regions = new ArrayList<>();
    private static final List<FaultProxy> proxies = new ArrayList<>();
    private static Bind bind;
    private static Etcd etcd;
    private static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 1; i <= 3; i++) {
            regions.add(new LoopbackHttpServer("127.0.97." + i, "r" + i).start());
        }
        bind =
                Bind.start(
                        "127.0.0.1",
                        "example.test",
                        "cdn 5 IN A 127.0.97.1\ncdn 5 IN A 127.0.97.2\ncdn 5 IN A 127.0.97.3\n");
        for (int i = 1; i <= 3; i++) {
            proxies.add(new FaultProxy("127.0.96." + i, bind.address()));
        }
        etcd = Etcd.startThree();
        TestTopology shared =
                new TestTopology().timings(Timings.DEFAULTS).policy("hold-down", "1s");
        for (int i = 0; i < regions.size(); i++) {
            shared.region("r" + (i + 1), regions.get(i));
        }
        shared.roundRobin("cdn.example.test", 5);
        Path dir = Files.createTempDirectory("pharos-fencing-it");
        cluster =
                new Cluster(
                        3,
                        shared,
                        true,
                        dir,
                        "fencing-it-peer-token",
                        List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                        (i, t) ->
                                bind.updater(t, proxies.get(i - 1).hostPort())
                                        // the paused writer must still be waiting when it wakes
                                        .set("pharos.dns.rfc2136.timeout", "60s")
                                        .set("pharos.coordination.provider", "etcd")
                                        .set("pharos.coordination.etcd.endpoints", etcd.endpoints())
                                        .set("pharos.coordination.etcd.lease-ttl", TTL)
                                        .env("PHAROS_API_ADMIN_TOKEN", ADMIN));
        cluster.startAll();
        awaitOrDump(
                Duration.ofSeconds(240),
                "one writer, holding the fence",
                () -> writer(0) > 0 && fence() == term(cluster.vp(writer(0))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            for (PharosInstance p : cluster.instances()) {
                if (p.running()) {
                    p.signal("CONT");
                }
            }
            cluster.close();
        }
        for (FaultProxy p : proxies) {
            p.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (bind != null) {
            bind.close();
        }
        regions.forEach(LoopbackHttpServer::stop);
    }

    @Test
    void aPausedWritersLateUpdateIsRefusedByBindAndTheWriterStepsDown() throws Exception {
        int w = writer(0);
        long oldTerm = term(cluster.vp(w));
        PharosInstance old = cluster.vp(w);
        PharosInstance other = cluster.vp(w % 3 + 1);
        FaultProxy proxy = proxies.get(w - 1);
        Set<String> all = Set.of("127.0.97.1", "127.0.97.2", "127.0.97.3");
        assertThat(served()).isEqualTo(all);

        proxy.delay(true);
        HttpResponse<String> r =
                other.send(
                        "POST",
                        "/api/v1/regions/r1/drain",
                        ADMIN,
                        "{\"reason\":\"fencing\",\"duration\":\"1h\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        awaitOrDump(
                Duration.ofSeconds(30),
                "the writer's update (r1 out) kept back in its proxy",
                () -> proxy.delayed() > 0);
        old.signal("STOP");
        Instant stopped = Instant.now();
        r = other.send("DELETE", "/api/v1/regions/r1/drain", ADMIN, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        awaitOrDump(
                Duration.ofSeconds(60),
                "another writer, holding the fence with a later term",
                () -> {
                    int n = writer(w);
                    return n > 0 && fence() == term(cluster.vp(n)) && fence() > oldTerm;
                });
        int n = writer(w);
        long newTerm = term(cluster.vp(n));
        System.out.printf(
                "FencingIT: writer vp%d (term %d) stopped; vp%d took over with term %d after %d"
                        + " ms%n",
                w, oldTerm, n, newTerm, Duration.between(stopped, Instant.now()).toMillis());
        awaitOrDump(
                Duration.ofSeconds(30),
                "the records as the old writer read them (r1 undrained)",
                () -> served().equals(all));

        proxy.release();
        old.signal("CONT");
        awaitOrDump(
                Duration.ofSeconds(60),
                "the old writer journals the refusal of its late update",
                () -> fencedRefusal(old));
        assertThat(served()).as("BIND refused the late update: r1 is still served").isEqualTo(all);
        assertThat(fence()).isEqualTo(newTerm);
        awaitOrDump(
                Duration.ofSeconds(30),
                "the old writer no longer writes; the new one does",
                () ->
                        old.metrics().contains("\npharos_writer 0.0")
                                && cluster.vp(n).metrics().contains("\npharos_writer 1.0"));
        assertThat(old.logText()).contains("no longer the writer");
        // the new writer still writes: a drain now goes through
        r =
                other.send(
                        "POST",
                        "/api/v1/regions/r2/drain",
                        ADMIN,
                        "{\"reason\":\"after\",\"duration\":\"1h\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        awaitOrDump(
                Duration.ofSeconds(30),
                "the new writer applies a drain",
                () -> served().equals(Set.of("127.0.97.1", "127.0.97.3")));
    }

    private static boolean fencedRefusal(PharosInstance p) {
        for (var e : p.json("/api/v1/events?type=APPLY_FAILED").get("events")) {
            if (e.get("message").asText().contains("fenced")) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> served() {
        return Dig.query(bind.address(), "cdn.example.test", "A");
    }

    /** The term the _pharos-writer record holds at BIND, or -1. */
    private static long fence() {
        Set<String> txt = Dig.query(bind.address(), "_pharos-writer.example.test", "TXT");
        return txt.isEmpty() ? -1 : Long.parseLong(txt.iterator().next().replace("\"", ""));
    }

    /** The vantage point that writes now (1-3), not counting {@code skip}; or 0. */
    private static int writer(int skip) {
        for (int i = 1; i <= 3; i++) {
            if (i != skip && cluster.vp(i).metrics().contains("\npharos_writer 1.0")) {
                return i;
            }
        }
        return 0;
    }

    private static long term(PharosInstance p) {
        for (String line : p.metrics().split("\n")) {
            if (line.startsWith("pharos_writer_term ")) {
                return (long) Double.parseDouble(line.substring("pharos_writer_term ".length()));
            }
        }
        return -2;
    }

    private static void awaitOrDump(Duration within, String what, Callable<Boolean> condition) {
        try {
            await(what)
                    .atMost(within)
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + "\n" + cluster.logTails(40), e);
        }
    }
}
