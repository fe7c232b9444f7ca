package dev.pharos.actuator.dns.linode;

import static dev.pharos.decision.RegionState.DEAD;
import static dev.pharos.decision.RegionState.HEALTHY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.lb.RelayActuator;
import dev.pharos.actuator.linode.LinodeAppResource;
import dev.pharos.actuator.linode.emulator.Fault;
import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import dev.pharos.journal.Journal;
import dev.pharos.reconcile.DnsStep;
import dev.pharos.reconcile.Outcome;
import dev.pharos.reconcile.ReconcileLoop;
import dev.pharos.testing.Json;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linode tokens never show: not in a log line (the REST client's request logging on, Pharos's
 * debug lines on), not in the actuator status, the journal, an exception, or the API, through every
 * fault, a 401 and the relay switches.
 */
@QuarkusTest
@QuarkusTestResource(value = LinodeAppResource.class, restrictToAnnotatedClass = true)
class LinodeTokenSecrecyTest {
    static final String TOKEN = "secrecy-token-2f8b-never-print-me";
    static final String WRONG = "stolen-token-9d04-never-print-me";
    static final String CLIENT_LOGGING = "org.jboss.resteasy.reactive.client.logging";

    @TempDir Path data;
    @Inject Topology topology;

    @Inject
    @Identifier("linode")
    RelayActuator relays;

    /** Every log record of the JVM, formatted with its parameters and stack trace. */
    static final class Capture extends Handler {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord r) {
            String msg =
                    r instanceof ExtLogRecord e
                            ? e.getFormattedMessage()
                            : new java.util.logging.SimpleFormatter().formatMessage(r);
            StringWriter w = new StringWriter();
            w.append(r.getLoggerName()).append(' ').append(String.valueOf(msg));
            if (r.getThrown() != null) {
                r.getThrown().printStackTrace(new PrintWriter(w));
            }
            lines.add(w.toString());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void theTokensNeverAppearInLogsStatusEventsOrExceptions() throws Exception {
        Capture capture = new Capture();
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        Logger clientLogging = Logger.getLogger(CLIENT_LOGGING);
        Level before = clientLogging.getLevel();
        root.addHandler(capture);
        clientLogging.setLevel(Level.ALL);
        List<Object> seen = new ArrayList<>();
        LinodeEmulator emulator = LinodeEmulator.start(LinodeSpec.require(), TOKEN, "127.0.85.5");
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        LinodeZone zone = new LinodeZone(emulator);
        try (Journal journal = new Journal(data, "vp1", zone.clock, Json.MAPPER, 1000)) {
            ReconcileLoop<DnsStep> r =
                    zone.reconciler(zone.provider(TOKEN, 500), journal, executor);
            r.desire(zone.allHealthy(), Map.of());
            r.runOnce();
            emulator.inject(Fault.rateLimit(1, 1));
            emulator.inject(Fault.serverError(1).fromThe(2));
            emulator.inject(Fault.drop(1).fromThe(3));
            emulator.inject(Fault.writeAppliedThenDropped(1).fromThe(3));
            r.desire(zone.decide(DEAD, HEALTHY, HEALTHY), Map.of());
            Outcome o = r.runOnce();
            for (int i = 0; i < 4 && o != Outcome.APPLIED; i++) {
                seen.add(r.status());
                o = r.runOnce();
            }
            assertThat(o).isEqualTo(Outcome.APPLIED);
            seen.add(r.status());

            ReconcileLoop<DnsStep> stolen =
                    zone.reconciler(zone.provider(WRONG, 500), journal, executor);
            stolen.desire(zone.allHealthy(), Map.of());
            assertThat(stolen.runOnce()).isEqualTo(Outcome.PERMANENT_ERROR);
            seen.add(stolen.status());
            for (String token : List.of(WRONG, TOKEN)) {
                try {
                    zone.client(token, 25).records(token.equals(WRONG) ? zone.domain : 424242);
                } catch (ActuatorException e) {
                    seen.add(e);
                }
            }

            Region europe = topology.region("europe").orElseThrow();
            relays.setInRotation(europe, true);
            relays.setInRotation(europe, false);
            seen.add(relays.read(europe));
            try {
                relays.setForwardTarget(europe, java.util.Optional.empty());
            } catch (ActuatorException e) {
                seen.add(e);
            }
            for (String path :
                    List.of("/api/v1/status", "/api/v1/regions/europe", "/api/v1/events")) {
                seen.add(given().get(path).then().statusCode(200).extract().asString());
            }
            seen.add(Files.readString(data.resolve("journal.jsonl")));
        } finally {
            root.removeHandler(capture);
            clientLogging.setLevel(before);
            executor.shutdownNow();
            emulator.close();
        }

        StringBuilder all = new StringBuilder();
        capture.lines.forEach(l -> all.append(l).append('\n'));
        for (Object o : seen) {
            if (o instanceof Throwable t) {
                StringWriter w = new StringWriter();
                t.printStackTrace(new PrintWriter(w));
                all.append(w);
            } else {
                all.append(o instanceof String s ? s : Json.MAPPER.writeValueAsString(o));
            }
            all.append('\n');
        }
        for (String secret :
                List.of(TOKEN, WRONG, LinodeAppResource.DNS_TOKEN, LinodeAppResource.LB_TOKEN)) {
            assertThat(all.toString()).doesNotContain(secret);
        }
        // the test saw what it had to: authorized requests, request logging, the 401, faults
        assertThat(emulator.calls()).anyMatch(LinodeEmulator.Call::authorized);
        assertThat(capture.lines)
                .filteredOn(l -> l.startsWith(CLIENT_LOGGING) && l.contains("Request: "))
                .isNotEmpty()
                .allMatch(l -> l.contains("Authorization=****"));
        assertThat(zone.a("cdn")).containsExactly("127.0.2.1", "127.0.3.1");
        assertThat(capture.lines).anyMatch(l -> l.contains("401"));
        assertThat(all.toString()).contains("429").contains("HTTP 500");
        assertThat(emulator.violations()).isEmpty();
    }
}
