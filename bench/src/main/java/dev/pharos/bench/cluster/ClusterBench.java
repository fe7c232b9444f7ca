package dev.pharos.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.actuator.dns.DnsWire;
import dev.pharos.bench.ResultHeader;
import dev.pharos.bench.failover.Stats;
import dev.pharos.domain.RecordKey;
import dev.pharos.it.Cluster;
import dev.pharos.it.PharosInstance;
import dev.pharos.testing.Bind;
import dev.pharos.testing.Etcd;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.NameServerWatch;
import dev.pharos.testing.Ports;
import dev.pharos.testing.Readiness;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One cluster, measured (bench/cluster/run.sh):
 *
 * <ul>
 *   <li>writer handover: three Pharos processes keep a BIND zone by RFC 2136 with the writer
 *       elected on a three-member etcd cluster (Debian's etcd-server on 127.0.94.1-3). Each trial
 *       makes region r1 answer 503 and kills the writer with SIGKILL at the same moment; BIND is
 *       asked every 5 ms for the fencing record {@code _pharos-writer.example.test} (the new
 *       writer's take-over, its first write) and for {@code cdn.example.test} (its first apply of a
 *       record change: r1 gone). At the default lease TTL and at a short one.
 *   <li>drain: three Pharos processes, each its own embedded name server; a drain is sent to one of
 *       them (vp1, vp2, vp3 in turn) and the three name servers are asked every 10 ms until each
 *       answers without the region.
 * </ul>
 *
 * <p>Usage: {@code ClusterBench TRIALS SHORT_TTL_SECONDS OUT}, with the Pharos jar given by {@code
 * -Dpharos.jar}. Loopback only: instances at 127.0.9.1-3, regions at 127.0.76.x and 127.0.77.x.
 */
public final class ClusterBench {
    private static final Timings TIMINGS = Timings.DEFAULTS;
    private static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
    private static final List<String> JVM =
            List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private ClusterBench() {}

    /** One writer-handover trial, in ms from the kill. */
    record Handover(double takeover, double applied, double verdict) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ClusterBench TRIALS SHORT_TTL_SECONDS OUT");
            System.exit(2);
        }
        int trials = Integer.parseInt(args[0]);
        Duration shortTtl = Duration.ofSeconds(Long.parseLong(args[1]));
        Path out = Path.of(args[2]);
        String header = ResultHeader.command("bench/cluster/run.sh", trials);
        List<Double> load = new ArrayList<>();
        load.add(load());
        List<Handover> atDefault = handover(trials, DEFAULT_TTL, load);
        List<Handover> atShort = List.of();
        @SuppressWarnings("unchecked")
        List<Double>[] drain = new List[] {List.of(), List.of(), List.of()};
        write(out, header, load, shortTtl, atDefault, atShort, drain);
        atShort = handover(trials, shortTtl, load);
        write(out, header, load, shortTtl, atDefault, atShort, drain);
        drain = drain(trials, load);
        load.add(load());
        write(out, header, load, shortTtl, atDefault, atShort, drain);
        System.out.println(Files.readString(out));
        System.exit(0);
    }

    private static void write(
            Path out,
            String header,
            List<Double> load,
            Duration shortTtl,
            List<Handover> atDefault,
            List<Handover> atShort,
            List<Double>[] drain)
            throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        b.append("# One cluster: writer handover on etcd, drain to every name server\n\n")
                .append(header)
                .append(
                        String.format(
                                Locale.ROOT,
                                "Load average (1 min) sampled before each part and at the end: %s"
                                        + " (the machine runs other builds and tests at the same"
                                        + " time).\n\n",
                                load.stream()
                                        .map(l -> String.format(Locale.ROOT, "%.2f", l))
                                        .toList()))
                .append(
                        "Three Pharos processes (the built jar, `-Xmx160m -XX:+UseSerialGC"
                                + " -XX:TieredStopAtLevel=1`, interval 1 s, fall 2, exchange 1 s),"
                                + " regions on loopback. Times are milliseconds, median / p90"
                                + " (nearest rank) / worst.\n\n")
                .append("## Writer killed (SIGKILL) -> first write and first apply by the new")
                .append(" writer\n\n")
                .append(
                        "`pharos.coordination.provider: etcd` on a three-member etcd cluster"
                                + " (Debian's etcd-server, loopback, heartbeat 100 ms, election"
                                + " 1 s), RFC 2136 to BIND 9 with the `_pharos-writer` fence."
                                + " In each trial region r1 starts answering 503 and the writer is"
                                + " killed at the same moment; BIND is asked every 5 ms. The new"
                                + " writer's take-over is the compare-and-set of the fencing"
                                + " record (its first write); its first apply is the update that"
                                + " takes r1 out. The new writer's verdict on r1 (journal time)"
                                + " shows how much of that is detection rather than election.\n\n")
                .append(
                        "| lease TTL | trials | kill -> fence holds the new term | kill -> BIND"
                                + " stops serving r1 (first apply) | kill -> new writer's DOWN"
                                + " verdict |\n| --- | ---: | ---: | ---: | ---: |\n")
                .append(handoverRow(DEFAULT_TTL, "(default)", atDefault))
                .append(handoverRow(shortTtl, "", atShort))
                .append("\n## Drain -> every name server answers without the region\n\n")
                .append(
                        "No etcd: each instance is its own embedded name server. `POST"
                                + " /api/v1/regions/{region}/drain` sent to vp1, vp2, vp3 in turn;"
                                + " the three name servers are asked every 10 ms over UDP; times"
                                + " from the moment the request was sent to the first answer"
                                + " without the region (received).\n\n")
                .append(
                        "| measure | trials | ms |\n| --- | ---: | ---: |\n"
                                + row("the API answers the drain", drain[0])
                                + row("the receiving instance's name server", drain[1])
                                + row("the last of the three name servers", drain[2]));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, b.toString());
    }

    private static String handoverRow(Duration ttl, String note, List<Handover> h) {
        return String.format(
                Locale.ROOT,
                "| %d s %s | %d | %s | %s | %s |\n",
                ttl.toSeconds(),
                note,
                h.size(),
                ms(Stats.of(h.stream().map(Handover::takeover).toList())),
                ms(Stats.of(h.stream().map(Handover::applied).toList())),
                ms(Stats.of(h.stream().map(Handover::verdict).toList())));
    }

    private static String row(String name, List<Double> values) {
        return "| " + name + " | " + values.size() + " | " + ms(Stats.of(values)) + " |\n";
    }

    private static String ms(Stats s) {
        if (s.n() == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", s.median(), s.p90(), s.worst());
    }

    // ---- writer handover

    private static List<Handover> handover(int trials, Duration ttl, List<Double> load)
            throws Exception {
        load.add(load());
        List<LoopbackHttpServer> regions = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            regions.add(new LoopbackHttpServer("127.0.76." + i, "r" + i).start());
        }
        String r1 = regions.get(0).address();
        Set<String> all = Set.of("127.0.76.1", "127.0.76.2", "127.0.76.3");
        Cluster cluster = null;
        List<Handover> out = new ArrayList<>();
        try (Bind bind =
                        Bind.start(
                                "127.0.0.1",
                                "example.test",
                                "cdn 5 IN A 127.0.76.1\ncdn 5 IN A 127.0.76.2\n"
                                        + "cdn 5 IN A 127.0.76.3\n");
                Etcd etcd = Etcd.startThree()) {
            TestTopology shared = new TestTopology().timings(TIMINGS).policy("hold-down", "1s");
            for (int i = 0; i < regions.size(); i++) {
                shared.region("r" + (i + 1), regions.get(i));
            }
            shared.roundRobin("cdn.example.test", 5);
            Path dir = Files.createTempDirectory("pharos-cluster-bench");
            cluster =
                    new Cluster(
                            3,
                            shared,
                            true,
                            dir,
                            "bench-peer-" + hex(16),
                            JVM,
                            (i, t) ->
                                    bind.updater(t, bind.hostPort())
                                            .set("pharos.coordination.provider", "etcd")
                                            .set(
                                                    "pharos.coordination.etcd.endpoints",
                                                    etcd.endpoints())
                                            .set("pharos.coordination.etcd.lease-ttl", ttl));
            cluster.startAll();
            SimpleResolver dns = DnsWire.resolver(bind.address(), Duration.ofMillis(500));
            for (int t = 0; t < trials; t++) {
                Cluster c = cluster;
                Readiness.await(
                        "three instances warm, one writer counted by all, BIND serving all three"
                                + " regions",
                        Duration.ofSeconds(300),
                        null,
                        () -> c.logTails(30),
                        () -> settled(c) && answer(dns).equals(all));
                Thread.sleep(200 + ThreadLocalRandom.current().nextLong(1000));
                int w = writer(cluster);
                long oldTerm = fence(dns).orElse(-1);
                long[] after = new long[4];
                for (int i = 1; i <= 3; i++) {
                    after[i] = i == w ? 0 : lastSeq(cluster.vp(i));
                }
                long killed = System.nanoTime();
                Instant killedAt = Instant.now();
                regions.get(0).status(503);
                cluster.vp(w).kill();
                double takeover = Double.NaN;
                double applied = Double.NaN;
                long deadline = killed + ttl.plusSeconds(60).toNanos();
                while ((Double.isNaN(takeover) || Double.isNaN(applied))
                        && System.nanoTime() < deadline) {
                    long asked = System.nanoTime();
                    if (Double.isNaN(takeover) && fence(dns).orElse(-1) > oldTerm) {
                        takeover = (asked - killed) / 1e6;
                    }
                    Set<String> a = answer(dns);
                    if (Double.isNaN(applied) && !a.isEmpty() && !a.contains(r1)) {
                        applied = (asked - killed) / 1e6;
                    }
                    Thread.sleep(5);
                }
                // the metric follows once per pipeline round
                long waitUntil = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                int now = writer(cluster);
                while (now == 0 && System.nanoTime() < waitUntil) {
                    Thread.sleep(100);
                    now = writer(cluster);
                }
                double verdict = Double.NaN;
                if (now > 0) {
                    JsonNode v = event(cluster.vp(now), after[now], "verdict_changed", "r1");
                    if (v != null) {
                        verdict =
                                Duration.between(killedAt, Instant.parse(v.get("time").asText()))
                                                .toNanos()
                                        / 1e6;
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "handover ttl %ds trial %d: vp%d killed, vp%d writes: fence %.0f ms,"
                                + " apply %.0f ms, verdict %.0f ms (load %.2f)%n",
                        ttl.toSeconds(),
                        t + 1,
                        w,
                        now,
                        takeover,
                        applied,
                        verdict,
                        load());
                out.add(new Handover(takeover, applied, verdict));
                regions.get(0).status(200);
                cluster.vp(w).start();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            regions.forEach(LoopbackHttpServer::stop);
        }
        return out;
    }

    /** All three running and warm, one writer, counted as one by every instance. */
    private static boolean settled(Cluster c) {
        if (writer(c) == 0) {
            return false;
        }
        for (PharosInstance p : c.instances()) {
            if (!p.running() || !p.live()) {
                return false;
            }
            if (!p.statusJson().get("warmup").get("done").asBoolean()
                    || p.metric("pharos_writers ") != 1) {
                return false;
            }
        }
        return true;
    }

    /** The vantage point that says it writes now (1-3), or 0. */
    private static int writer(Cluster c) {
        for (int i = 1; i <= 3; i++) {
            PharosInstance p = c.vp(i);
            try {
                if (p.running() && p.metric("pharos_writer ") == 1) {
                    return i;
                }
            } catch (RuntimeException e) {
                // not answering yet
            }
        }
        return 0;
    }

    /** The term the fencing record holds in BIND. */
    private static OptionalLong fence(SimpleResolver dns) {
        try {
            Message m =
                    dns.send(
                            Message.newQuery(
                                    Record.newRecord(
                                            Name.fromString("_pharos-writer.example.test."),
                                            Type.TXT,
                                            DClass.IN)));
            for (Record r : m.getSection(Section.ANSWER)) {
                if (r instanceof TXTRecord txt) {
                    return OptionalLong.of(Long.parseLong(txt.getStrings().get(0)));
                }
            }
        } catch (Exception e) {
            // no answer this time
        }
        return OptionalLong.empty();
    }

    private static Set<String> answer(SimpleResolver dns) {
        NameServerWatch.Sample s =
                NameServerWatch.ask(
                        1,
                        (InetSocketAddress) dns.getAddress(),
                        new RecordKey("cdn.example.test", "A"));
        return s.answered() ? s.values() : Set.of();
    }

    // ---- drain

    @SuppressWarnings("unchecked")
    private static List<Double>[] drain(int trials, List<Double> load) throws Exception {
        load.add(load());
        String admin = "bench-admin-" + hex(16);
        List<LoopbackHttpServer> regions = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            regions.add(new LoopbackHttpServer("127.0.77." + i, "r" + i).start());
        }
        int[] port = new int[4];
        for (int i = 1; i <= 3; i++) {
            port[i] = Ports.freeUdpAndTcp(Cluster.address(i));
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            servers.add(new InetSocketAddress(Cluster.address(i), port[i]));
        }
        RecordKey cdn = new RecordKey("cdn.example.test", "A");
        Set<String> all = Set.of("127.0.77.1", "127.0.77.2", "127.0.77.3");
        List<Double> answered = new ArrayList<>();
        List<Double> receiver = new ArrayList<>();
        List<Double> last = new ArrayList<>();
        TestTopology shared =
                new TestTopology()
                        .timings(TIMINGS)
                        .roundRobin("cdn.example.test", 5)
                        .policy("hold-down", "1s")
                        .policy("max-removals", 3)
                        .zone("example.test");
        for (int i = 0; i < regions.size(); i++) {
            shared.region("r" + (i + 1), regions.get(i));
        }
        try (Cluster cluster =
                new Cluster(
                        3,
                        shared,
                        true,
                        Files.createTempDirectory("pharos-drain-bench"),
                        "bench-peer-" + hex(16),
                        JVM,
                        (i, t) ->
                                t.embeddedDns(Cluster.address(i), port[i])
                                        .env("PHAROS_API_ADMIN_TOKEN", admin))) {
            cluster.startAll();
            for (int t = 0; t < trials; t++) {
                Readiness.await(
                        "three instances warm, every name server answering all three regions",
                        Duration.ofSeconds(300),
                        null,
                        () -> cluster.logTails(30),
                        () -> {
                            for (int i = 1; i <= 3; i++) {
                                PharosInstance p = cluster.vp(i);
                                if (!p.live()
                                        || !p.statusJson().get("warmup").get("done").asBoolean()) {
                                    return false;
                                }
                                NameServerWatch.Sample s =
                                        NameServerWatch.ask(i, servers.get(i - 1), cdn);
                                if (!s.answered() || !s.values().equals(all)) {
                                    return false;
                                }
                            }
                            return true;
                        });
                Thread.sleep(200 + ThreadLocalRandom.current().nextLong(1000));
                int via = t % 3 + 1;
                String region = "r" + (t % 3 + 1);
                String address = regions.get(t % 3).address();
                try (NameServerWatch watch =
                        new NameServerWatch(servers, cdn, Duration.ofMillis(10))) {
                    Thread.sleep(100);
                    Instant sent = Instant.now();
                    HttpResponse<String> r =
                            cluster.vp(via)
                                    .send(
                                            "POST",
                                            "/api/v1/regions/" + region + "/drain",
                                            admin,
                                            "{\"reason\":\"bench\",\"duration\":\"1h\"}");
                    Instant done = Instant.now();
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("drain refused: " + r.body());
                    }
                    Readiness.await(
                            region + " gone from every name server",
                            Duration.ofSeconds(30),
                            () -> {
                                for (int i = 1; i <= 3; i++) {
                                    if (watch.firstLacking(i, address, sent).isEmpty()) {
                                        return false;
                                    }
                                }
                                return true;
                            });
                    double[] gone = new double[4];
                    for (int i = 1; i <= 3; i++) {
                        gone[i] =
                                Duration.between(
                                                        sent,
                                                        watch.firstLacking(i, address, sent)
                                                                .orElseThrow()
                                                                .received())
                                                .toNanos()
                                        / 1e6;
                    }
                    double lastMs = Math.max(gone[1], Math.max(gone[2], gone[3]));
                    answered.add(Duration.between(sent, done).toNanos() / 1e6);
                    receiver.add(gone[via]);
                    last.add(lastMs);
                    System.out.printf(
                            Locale.ROOT,
                            "drain trial %d via vp%d: API %.0f ms, vp1 %.0f, vp2 %.0f, vp3 %.0f ms"
                                    + " (load %.2f)%n",
                            t + 1,
                            via,
                            answered.get(answered.size() - 1),
                            gone[1],
                            gone[2],
                            gone[3],
                            load());
                }
                HttpResponse<String> r =
                        cluster.vp(via)
                                .send(
                                        "DELETE",
                                        "/api/v1/regions/" + region + "/drain",
                                        admin,
                                        null);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("undrain refused: " + r.body());
                }
            }
        } finally {
            regions.forEach(LoopbackHttpServer::stop);
        }
        return new List[] {answered, receiver, last};
    }

    // ---- shared

    private static long lastSeq(PharosInstance p) {
        JsonNode events = p.json("/api/v1/events?limit=1").get("events");
        return events.isEmpty() ? 0 : events.get(0).get("seq").asLong();
    }

    private static JsonNode event(PharosInstance p, long after, String type, String region) {
        for (JsonNode e :
                p.json("/api/v1/events?after=" + after + "&type=" + type + "&limit=50")
                        .get("events")) {
            if (region.equals(e.path("region").asText())) {
                return e;
            }
        }
        return null;
    }

    private static double load() {
        try {
            return Double.parseDouble(
                    Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 2)[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static String hex(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
