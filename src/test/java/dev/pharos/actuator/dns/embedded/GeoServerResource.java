package dev.pharos.actuator.dns.embedded;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.pharos.actuator.dns.embedded.DnsTools.Tool;
import dev.pharos.testing.LoopbackHttpServer;
import dev.pharos.testing.Management;
import dev.pharos.testing.Mmdb;
import dev.pharos.testing.Mmdb.Entry;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the geo API tests share: three one-server regions europe, apac and americas (europe and
 * americas fall back to each other first), a geo name {@code www} (TTL 5) over them, a location
 * database written at test time, and Pharos serving them from its embedded DNS server. A subclass
 * names its addresses, its database's entries and what else its geo name and topology have.
 *
 * <p>The running one's addresses, port, servers and database are in the static fields (each
 * subclass is restricted to its own test class, so one runs at a time); {@link #client} and {@link
 * #dig} ask it.
 */
abstract class GeoServerResource implements QuarkusTestResourceLifecycleManager {
    public static String dnsIp;
    public static int dnsPort;
    public static List<LoopbackHttpServer> lbs;
    public static Path database;

    private final String ownDnsIp;
    private final List<String> lbIps;
    private final String vantagePoint;
    private final String databaseFile;
    private final String[] apacFallback;

    /**
     * @param lbIps europe's, apac's and americas' load balancers
     * @param apacFallback apac's fallback regions, in order
     */
    GeoServerResource(
            String dnsIp,
            List<String> lbIps,
            String vantagePoint,
            String databaseFile,
            String... apacFallback) {
        this.ownDnsIp = dnsIp;
        this.lbIps = lbIps;
        this.vantagePoint = vantagePoint;
        this.databaseFile = databaseFile;
        this.apacFallback = apacFallback;
    }

    /** The location database's entries. */
    abstract List<Entry> entries();

    /** Adds to the topology just after the geo name (the last record described). */
    abstract TestTopology geoAndMore(TestTopology topology);

    @Override
    public Map<String, String> start() {
        dnsIp = ownDnsIp;
        lbs =
                List.of(
                        new LoopbackHttpServer(lbIps.get(0), "europe").start(),
                        new LoopbackHttpServer(lbIps.get(1), "apac").start(),
                        new LoopbackHttpServer(lbIps.get(2), "americas").start());
        try {
            database = Files.createTempDirectory("pharos-geo").resolve(databaseFile);
            Mmdb.write(database, entries());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dnsPort = Ports.freeUdpAndTcp(dnsIp);
        TestTopology topology =
                TestTopology.fast(vantagePoint)
                        .region("europe", r -> r.lb(lbs.get(0)).fallback("americas", "apac"))
                        .region("apac", r -> r.lb(lbs.get(1)).fallback(apacFallback))
                        .region("americas", r -> r.lb(lbs.get(2)).fallback("europe", "apac"))
                        .geo("www.example.test")
                        .lastRecord("ttl", 5);
        return geoAndMore(topology)
                .policy("hold-down", "1s")
                .policy("max-removals", 3)
                .zone("example.test")
                .embeddedDns(dnsIp, dnsPort)
                .set("pharos.dns.embedded.geo-database", database.toString())
                .properties();
    }

    @Override
    public void stop() {
        lbs.forEach(LoopbackHttpServer::stop);
    }

    /** Needs dig; waits until Pharos is ready. */
    static void awaitReady() {
        DnsTools.require(Tool.DIG);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
    }

    /** {@code GET /api/v1/geo?client=}, which must answer 200. */
    static JsonPath client(String client) {
        return given().queryParam("client", client)
                .get("/api/v1/geo")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The addresses the embedded server answers {@code www} A with for a client in subnet. */
    static List<String> dig(String subnet) throws Exception {
        return DnsTools.ask(Tool.DIG, dnsIp, dnsPort, "www.example.test", "A", "+subnet=" + subnet)
                .data("ANSWER");
    }
}
