package dev.pharos.bench.dns;

import dev.pharos.actuator.dns.embedded.EmbeddedDnsMetrics;
import dev.pharos.actuator.dns.embedded.EmbeddedDnsProvider;
import dev.pharos.actuator.dns.embedded.GeoSetup;
import dev.pharos.actuator.dns.embedded.ZoneSerial;
import dev.pharos.actuator.dns.geo.GeoDatabase;
import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.EmbeddedDnsSettings;
import dev.pharos.config.Topology;
import dev.pharos.decision.ManagedRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The embedded DNS server alone, without Quarkus or probing: it serves the fail-open records of a
 * Pharos configuration file until it is killed. For the benchmark (bench/dns/run.sh) and for trying
 * the server with dig.
 *
 * <p>Usage: {@code StandaloneDnsServer CONFIG.yaml}
 */
public final class StandaloneDnsServer {
    private StandaloneDnsServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: StandaloneDnsServer CONFIG.yaml");
            System.exit(2);
        }
        // Quarkus would set this; without it dnsjava's trace logging is formatted on every query
        org.jboss.logmanager.LogContext.getSystemLogContext()
                .getLogger("")
                .setLevel(java.util.logging.Level.INFO);
        Topology topology = ConfigFixtures.topology(Path.of(args[0]));
        // as Quarkus's quarkus.vertx.prefer-native-transport in application.yaml
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            System.err.println(
                    "native transport unavailable: " + vertx.unavailableNativeTransportCause());
        }
        EmbeddedDnsProvider provider =
                new EmbeddedDnsProvider(
                        topology.dns().embedded(),
                        ManagedRecords.failOpen(topology),
                        vertx,
                        new EmbeddedDnsMetrics(new SimpleMeterRegistry()),
                        new ZoneSerial(Clock.systemUTC(), Optional.empty()),
                        System::nanoTime,
                        // geo records answered per client, from the configured database if any
                        new GeoSetup(
                                topology,
                                new GeoDatabase(
                                        topology.dns()
                                                .embedded()
                                                .flatMap(EmbeddedDnsSettings::geoDatabase))));
        provider.start();
        System.out.println(
                "ready port "
                        + provider.port()
                        + " transport "
                        + (vertx.isNativeTransportEnabled() ? "epoll" : "NIO"));
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    provider.stop();
                                    vertx.close();
                                }));
        Thread.currentThread().join();
    }
}
