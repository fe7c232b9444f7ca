package dev.pharos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.it.PharosInstance;
import dev.pharos.testing.Bind;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Readiness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Time from a verdict to BIND serving the change (bench/rfc2136/run.sh): one Pharos process with
 * the RFC 2136 provider, a real BIND, a region whose server is killed and revived; BIND is asked
 * every 5 ms. Writes the table to OUT.
 *
 * <p>Usage: {@code Rfc2136Bench TRIALS OUT}, with the Pharos jar given by {@code -Dpharos.jar}
 * (default target/quarkus-app/quarkus-run.jar).
 */
public final class Rfc2136Bench {
    private Rfc2136Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Rfc2136Bench TRIALS OUT");
            System.exit(2);
        }
        verdictToBindServing(Integer.parseInt(args[0]), Path.of(args[1]));
        System.exit(0);
    }

    private static void verdictToBindServing(int trials, Path out) throws Exception {
        List<LoopbackHttpServer> regions =
                List.of(
                        new LoopbackHttpServer("127.0.92.1", "r1").start(),
                        new LoopbackHttpServer("127.0.92.2", "r2").start(),
                        new LoopbackHttpServer("127.0.92.3", "r3").start());
        try (Bind bind =
                Bind.start(
                        "127.0.0.1",
                        "example.test",
                        "cdn 5 IN A 127.0.92.1\ncdn 5 IN A 127.0.92.2\ncdn 5 IN A 127.0.92.3\n")) {
            Path dir = Files.createTempDirectory("pharos-rfc2136-bench");
            try (PharosInstance pharos =
                    new PharosInstance(
                            bind.cdnUpdater("vp-bench", regions, bind.hostPort())
                                    .dataDir(dir.resolve("data"))
                                    .http("127.0.93.1"),
                            dir,
                            List.of("-Xmx256m"))) {
                pharos.start();
                Readiness.await(
                        "Pharos (" + pharos.log() + ") ready",
                        Duration.ofSeconds(60),
                        () -> pharos.status("/q/health/ready") == 200);
                SimpleResolver dns = new SimpleResolver(bind.address());
                dns.setTimeout(Duration.ofMillis(500));
                Set<String> all = Set.of("127.0.92.1", "127.0.92.2", "127.0.92.3");
                List<Long> fromVerdict = new ArrayList<>();
                List<Long> fromFault = new ArrayList<>();
                List<Long> propagation = new ArrayList<>();
                for (int t = 0; t < trials; t++) {
                    Readiness.await(
                            "BIND serving all three regions again",
                            Duration.ofSeconds(30),
                            () -> answer(dns).equals(all));
                    // a random phase against the probe schedule
                    Thread.sleep(200 + (long) (Math.random() * 1000));
                    long lastSeq = lastSeq(pharos);
                    Instant fault = Instant.now();
                    regions.get(0).stop();
                    Instant served = null;
                    while (served == null) {
                        if (!answer(dns).contains("127.0.92.1")) {
                            served = Instant.now();
                        }
                        Thread.sleep(5); // BIND is asked every 5 ms: the measure's resolution
                    }
                    Instant verdict = eventTime(pharos, lastSeq, "VERDICT_CHANGED");
                    fromVerdict.add(Duration.between(verdict, served).toMillis());
                    fromFault.add(Duration.between(fault, served).toMillis());
                    JsonNode prop = event(pharos, lastSeq, "PROPAGATED");
                    if (prop != null) {
                        propagation.add(prop.get("data").get("propagationMs").asLong());
                    }
                    regions.get(0).start();
                }
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(
                        out,
                        "# RFC 2136 to BIND: time from verdict to BIND serving the change\n\n"
                                + ResultHeader.command("bench/rfc2136/run.sh", trials)
                                + "One Pharos process (interval 1 s, fall 2, recheck 200 ms), BIND 9.18 on loopback; BIND asked every 5 ms.\n\n"
                                + "| measure | median ms | worst ms |\n| --- | ---: | ---: |\n"
                                + row(
                                        "verdict (journal time) -> BIND serves the change",
                                        fromVerdict)
                                + row("fault -> BIND serves the change", fromFault)
                                + row(
                                        "apply -> every verify server serves it (Pharos's own measure)",
                                        propagation));
                System.out.println(Files.readString(out));
            }
        } finally {
            regions.forEach(LoopbackHttpServer::stop);
        }
    }

    private static String row(String name, List<Long> ms) {
        if (ms.isEmpty()) {
            return "| " + name + " | - | - |\n";
        }
        List<Long> s = new ArrayList<>(ms);
        Collections.sort(s);
        return "| " + name + " | " + s.get(s.size() / 2) + " | " + s.get(s.size() - 1) + " |\n";
    }

    private static Set<String> answer(SimpleResolver r) {
        Set<String> out = new TreeSet<>();
        try {
            Message m =
                    r.send(
                            Message.newQuery(
                                    Record.newRecord(
                                            Name.fromString("cdn.example.test."),
                                            Type.A,
                                            DClass.IN)));
            for (Record rec : m.getSection(Section.ANSWER)) {
                if (rec instanceof ARecord a) {
                    out.add(a.getAddress().getHostAddress());
                }
            }
        } catch (Exception e) {
            // counts as no answer this time
        }
        return out;
    }

    private static long lastSeq(PharosInstance p) {
        JsonNode events = p.json("/api/v1/events?limit=1").get("events");
        return events.isEmpty() ? 0 : events.get(0).get("seq").asLong();
    }

    private static JsonNode event(PharosInstance p, long after, String type) {
        for (JsonNode e :
                p.json("/api/v1/events?after=" + after + "&type=" + type + "&limit=10")
                        .get("events")) {
            return e;
        }
        return null;
    }

    private static Instant eventTime(PharosInstance p, long after, String type)
            throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonNode e = event(p, after, type);
            if (e != null) {
                return Instant.parse(e.get("time").asText());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no " + type + " event");
    }
}
