package dev.pharos.api.console;

import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Three one-server regions on loopback, Pharos serving their names from its embedded DNS server,
 * with a read token (the console must ask for it) and an admin token. Each region serves a trace
 * file and a manifest (synced just now, release 2), checked every second (docs/CONTENT.md).
 */
public class ConsoleResource implements QuarkusTestResourceLifecycleManager {
    public static final String READ = "console-read-token-7d1e";
    public static final String ADMIN = "console-admin-token-93ab";
    public static final String DNS_IP = "127.0.64.53";
    public static final List<String> REGIONS = List.of("europe", "apac", "americas");
    public static final List<String> ADDRESSES = List.of("127.0.64.1", "127.0.65.1", "127.0.66.1");
    public static final String TRACE = "/project/trace/origin";
    public static final String MANIFEST = "/repodata/repomd.xml";
    public static List<LoopbackHttpServer> lbs;

    /** What the origin's sync leaves on region i's server: a trace and a manifest. */
    public static void serve(int i, Instant syncedAt, String release) {
        lbs.get(i)
                .file(TRACE, syncedAt.getEpochSecond() + "\n")
                .file(MANIFEST, "<repomd><revision>" + release + "</revision></repomd>\n");
    }

    @Override
    public Map<String, String> start() {
        lbs =
                List.of(
                        new LoopbackHttpServer(ADDRESSES.get(0), "europe-lb").start(),
                        new LoopbackHttpServer(ADDRESSES.get(1), "apac-lb").start(),
                        new LoopbackHttpServer(ADDRESSES.get(2), "americas-lb").start());
        TestTopology t = TestTopology.fast("vp-console");
        for (int i = 0; i < 3; i++) {
            serve(i, Instant.now(), "release-2");
            t.region(REGIONS.get(i), lbs.get(i));
        }
        return t.roundRobin("cdn.example.test", 5)
                .alias("europe.example.test", "europe")
                .fallbacksInTurn()
                .policy("hold-down", "1s")
                .policy("max-removals", 3)
                .zone("example.test")
                .embeddedDns(DNS_IP, Ports.freeUdpAndTcp(DNS_IP))
                .set("pharos.api.read-token", READ)
                .set("pharos.api.admin-token", ADMIN)
                .set("pharos.content.trace-path", TRACE)
                .set("pharos.content.manifest-path", MANIFEST)
                .set("pharos.content.interval", "1s")
                .set("pharos.content.timeout", "800ms")
                .set("pharos.content.connect-timeout", "500ms")
                .set("pharos.content.warn-after", "30m")
                .set("pharos.content.stale-after", "2h")
                .properties();
    }

    @Override
    public void stop() {
        lbs.forEach(LoopbackHttpServer::stop);
    }
}
