package dev.pharos.actuator.dns.embedded;

import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.EmbeddedDnsSettings;
import dev.pharos.config.Topology;
import dev.pharos.decision.ManagedRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The zone the embedded-DNS tests serve: managed names (a round-robin over three regions, one of
 * them dual-stack, and an alias), in-zone and out-of-zone name servers with glue, static records of
 * every common type, CNAME chains (in zone, out of zone, looping), an empty non-terminal and a TXT
 * set too big for 512 bytes.
 */
final class TestZone {
    static final String YAML =
            """
            pharos:
              node: {name: vp1}
              regions:
                europe:
                  load-balancer: {ipv4: 127.0.1.1, ipv6: "::1"}
                  fallback: [apac]
                apac:
                  load-balancer: {ipv4: 127.0.2.1}
                americas:
                  load-balancer: {ipv4: 127.0.3.1}
              records:
                - {name: cdn.example.test, type: round-robin, ttl: 20}
                - {name: europe.example.test, type: alias, region: europe}
              dns:
                zone: example.test
                embedded:
                  listen: [127.0.70.1, "::1"]
                  nameservers: [ns1, ns2.example.net.]
                  glue:
                    ns1: [127.0.70.1, "::1"]
                  negative-ttl: 30
                  apex-ttl: 3600
                  static-records:
                    - "www 300 IN CNAME cdn"
                    - "@ 300 IN TXT \\"v=spf1 -all\\""
                    - "mail 300 IN MX 10 mx.example.net."
                    - "chain1 300 IN CNAME chain2"
                    - "chain2 300 IN CNAME www"
                    - "ext 300 IN CNAME target.example.net."
                    - "dangling 300 IN CNAME nothing"
                    - "loop1 300 IN CNAME loop2"
                    - "loop2 300 IN CNAME loop1"
                    - "deep.ent 300 IN A 192.0.2.10"
                    - "v6only 300 IN AAAA 2001:db8::10"
                    - "big 300 IN TXT \\"0-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
                    - "big 300 IN TXT \\"1-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
                    - "big 300 IN TXT \\"2-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
                    - "big 300 IN TXT \\"3-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
                    - "big 300 IN TXT \\"4-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
                    - "big 300 IN TXT \\"5-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
                    - "big 300 IN TXT \\"6-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
                    - "big 300 IN TXT \\"7-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
                    - "big 300 IN TXT \\"8-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
                    - "big 300 IN TXT \\"9-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
                    - "big 300 IN TXT \\"10-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
                    - "big 300 IN TXT \\"11-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\""
            """;

    private TestZone() {}

    static Topology topology() {
        return ConfigFixtures.topology(YAML);
    }

    /**
     * The embedded server's settings with some keys overridden ("pharos.dns.embedded.listen[0]" ->
     * "127.0.70.32"), on a free port: the configuration cannot say port 0, the server can.
     */
    static EmbeddedDnsSettings embedded(Map<String, String> overrides) {
        EmbeddedDnsSettings e =
                ConfigFixtures.topology(YAML, overrides).dns().embedded().orElseThrow();
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
        return zone(Map.of());
    }

    static ZoneData zone(Map<String, String> overrides) {
        return ZoneData.build(
                embedded(overrides).zone(), ManagedRecords.failOpen(topology()), 1_700_000_000L);
    }

    /**
     * Overrides that make the apex NS set eight in-zone dual-stack servers, ns1 to ns8 (addresses
     * 127.0.70.N and 2001:db8::N, data only): an NS answer whose glue does not fit in 512 bytes
     * while the NS records do.
     */
    static Map<String, String> eightNameServers() {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i <= 8; i++) {
            o.put("pharos.dns.embedded.nameservers[" + (i - 1) + "]", "ns" + i);
            o.put("pharos.dns.embedded.glue.ns" + i + "[0]", "127.0.70." + i);
            o.put("pharos.dns.embedded.glue.ns" + i + "[1]", "2001:db8::" + i);
        }
        return o;
    }

    /** A started provider on a free port; the listen addresses may be overridden. */
    static EmbeddedDnsProvider start(Vertx vertx, Map<String, String> overrides) throws Exception {
        return start(vertx, overrides, new SimpleMeterRegistry());
    }

    /** The same, recording metrics in {@code registry}. */
    static EmbeddedDnsProvider start(
            Vertx vertx, Map<String, String> overrides, MeterRegistry registry) throws Exception {
        EmbeddedDnsProvider p =
                new EmbeddedDnsProvider(
                        Optional.of(embedded(overrides)),
                        ManagedRecords.failOpen(topology()),
                        vertx,
                        new EmbeddedDnsMetrics(registry),
                        new ZoneSerial(Clock.systemUTC(), Optional.empty()),
                        System::nanoTime);
        p.start();
        return p;
    }
}
