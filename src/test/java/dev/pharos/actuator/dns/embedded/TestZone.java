package dev.pharos.actuator.dns.embedded;

import dev.pharos.config.EmbeddedDnsSettings;
import dev.pharos.config.Topology;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.testing.TestTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The zone the embedded-DNS tests serve: managed names (a round-robin over three regions, one of
 * them dual-stack, and an alias), in-zone and out-of-zone name servers with glue, static records of
 * every common type, CNAME chains (in zone, out of zone, looping), an empty non-terminal and a TXT
 * set too big for 512 bytes.
 */
final class TestZone {
    private TestZone() {}

    /** The zone's description, new each time so that a test may change it. */
    static TestTopology description() {
        List<String> statics =
                new ArrayList<>(
                        List.of(
                                "www 300 IN CNAME cdn",
                                "@ 300 IN TXT \"v=spf1 -all\"",
                                "mail 300 IN MX 10 mx.example.net.",
                                "chain1 300 IN CNAME chain2",
                                "chain2 300 IN CNAME www",
                                "ext 300 IN CNAME target.example.net.",
                                "dangling 300 IN CNAME nothing",
                                "loop1 300 IN CNAME loop2",
                                "loop2 300 IN CNAME loop1",
                                "deep.ent 300 IN A 192.0.2.10",
                                "v6only 300 IN AAAA 2001:db8::10"));
        for (int i = 0; i < 12; i++) {
            // twelve 64-byte strings: the set does not fit in 512 bytes
            statics.add("big 300 IN TXT \"" + i + "-" + "x".repeat(60) + "\"");
        }
        return TestTopology.node("vp1")
                .region("europe", r -> r.ipv4("127.0.1.1").ipv6("::1").fallback("apac"))
                .region("apac", "127.0.2.1")
                .region("americas", "127.0.3.1")
                .roundRobin("cdn.example.test", 20)
                .alias("europe.example.test", "europe")
                .zone("example.test")
                .set("pharos.dns.embedded.listen", List.of("127.0.70.1", "::1"))
                .set("pharos.dns.embedded.nameservers", List.of("ns1", "ns2.example.net."))
                .set("pharos.dns.embedded.glue.ns1", List.of("127.0.70.1", "::1"))
                .set("pharos.dns.embedded.negative-ttl", 30)
                .set("pharos.dns.embedded.apex-ttl", 3600)
                .set("pharos.dns.embedded.static-records", statics);
    }

    static Topology topology() {
        return description().topology();
    }

    /** Serving on this address instead of 127.0.70.1 (and still on ::1). */
    static Consumer<TestTopology> listen(String address) {
        return z -> z.set("pharos.dns.embedded.listen[0]", address);
    }

    /**
     * The embedded server's settings with some changed, on a free port: the configuration cannot
     * say port 0, the server can.
     */
    static EmbeddedDnsSettings embedded(Consumer<TestTopology> changes) {
        TestTopology z = description();
        changes.accept(z);
        EmbeddedDnsSettings e = z.topology().dns().embedded().orElseThrow();
        return new EmbeddedDnsSettings(
                e.listen(),
                0,
                e.zone(),
                e.rateLimit(),
                e.rateLimitSlip(),
                e.tcpIdleTimeout(),
                e.maxTcpConnections());
    }

    static ZoneData zone() {
        return zone(z -> {});
    }

    static ZoneData zone(Consumer<TestTopology> changes) {
        return ZoneData.build(
                embedded(changes).zone(), ManagedRecords.failOpen(topology()), 1_700_000_000L);
    }

    /**
     * The apex NS set as eight in-zone dual-stack servers, ns1 to ns8 (addresses 127.0.70.N and
     * 2001:db8::N, data only): an NS answer whose glue does not fit in 512 bytes while the NS
     * records do.
     */
    static Consumer<TestTopology> eightNameServers() {
        return z -> {
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                names.add("ns" + i);
                z.set(
                        "pharos.dns.embedded.glue.ns" + i,
                        List.of("127.0.70." + i, "2001:db8::" + i));
            }
            z.set("pharos.dns.embedded.nameservers", names);
        };
    }

    /**
     * A Vert.x on the native epoll transport, as Quarkus's {@code
     * quarkus.vertx.prefer-native-transport} gives Pharos: the embedded server then binds one UDP
     * socket per event loop (up to one per core).
     */
    static Vertx nativeVertx() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            vertx.close();
            throw new IllegalStateException(
                    "Netty's epoll transport did not load",
                    vertx.unavailableNativeTransportCause());
        }
        return vertx;
    }

    /** A started provider on a free port. */
    static EmbeddedDnsProvider start(Vertx vertx) throws Exception {
        return start(vertx, z -> {});
    }

    /** A started provider on a free port, the zone changed as a test needs. */
    static EmbeddedDnsProvider start(Vertx vertx, Consumer<TestTopology> changes) throws Exception {
        return start(vertx, changes, new SimpleMeterRegistry());
    }

    /** The same, recording metrics in {@code registry}. */
    static EmbeddedDnsProvider start(
            Vertx vertx, Consumer<TestTopology> changes, MeterRegistry registry) throws Exception {
        EmbeddedDnsProvider p =
                new EmbeddedDnsProvider(
                        Optional.of(embedded(changes)),
                        ManagedRecords.failOpen(topology()),
                        vertx,
                        new EmbeddedDnsMetrics(registry),
                        new ZoneSerial(Clock.systemUTC(), Optional.empty()),
                        System::nanoTime);
        p.start();
        return p;
    }
}
