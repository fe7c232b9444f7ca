package dev.pharos.alert;

import dev.pharos.config.PharosConfig;
import dev.pharos.config.Topology;
import dev.pharos.journal.Journal;
import dev.pharos.journal.Severity;
import dev.pharos.observation.PeerExchange;
import dev.pharos.observation.ReprobeRequest;
import dev.pharos.probe.ProbeEngine;
import dev.pharos.reconcile.Pipeline;
import dev.pharos.testing.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The alert side of the journal fixture writer (one-off: it drives the code as it is to record the
 * journal lines this version writes).
 */
public final class FixtureAlerts {
    private FixtureAlerts() {}

    /** A notifier whose only receiver refuses every message: each becomes NOTIFICATION_FAILED. */
    public static AutoCloseable refusingNotifier(Journal journal, Clock clock) {
        Transport refusing =
                (url, headers, body, timeout) ->
                        CompletableFuture.completedFuture(
                                new Transport.Attempt(
                                        Transport.Result.PERMANENT,
                                        401,
                                        "HTTP 401",
                                        Optional.empty()));
        Notifier n =
                new Notifier(
                        List.of(
                                new ReceiverSettings(
                                        "ops",
                                        ReceiverSettings.Type.WEBHOOK,
                                        URI.create("http://127.0.0.1:9/hook"),
                                        Optional.of("fixture-secret"),
                                        Severity.CRITICAL,
                                        Set.of(
                                                dev.pharos.journal.EventType.QUORUM_LOST,
                                                dev.pharos.journal.EventType.ACTUATOR_STOPPED))),
                        new DeliverySettings(
                                Duration.ofSeconds(1),
                                Duration.ofMillis(10),
                                Duration.ofMillis(50),
                                Duration.ofMinutes(1),
                                10),
                        journal,
                        clock,
                        Json.MAPPER,
                        new AlertMetrics(List.of("ops"), new SimpleMeterRegistry()),
                        refusing);
        n.listen();
        return n::close;
    }

    public static AlertVotes votes(Clock clock) {
        return new AlertVotes(true, Duration.ofMinutes(5), clock);
    }

    public static InboundAlerts inbound(
            PharosConfig config,
            Topology topology,
            Journal journal,
            AlertVotes votes,
            Pipeline pipeline) {
        return new InboundAlerts(
                config,
                topology,
                journal,
                Json.MAPPER,
                new AlertMetrics(List.of(), new SimpleMeterRegistry()),
                votes,
                reprobes(topology, journal),
                pipeline);
    }

    public static Reprobes reprobes(Topology topology, Journal journal) {
        return new Reprobes(topology, new ProbeEngine(), new PeerExchange(), journal);
    }

    public static void receive(InboundAlerts in, String status, Map<String, String> labels)
            throws Exception {
        in.receive(payload(status, labels).getBytes(StandardCharsets.UTF_8));
    }

    public static void peerReprobe(Reprobes r, List<String> targets) {
        r.forPeer(new ReprobeRequest("vp2", targets, "alert BlackboxDown firing"));
    }

    static String payload(String status, Map<String, String> labels) {
        String l =
                labels.entrySet().stream()
                        .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                        .collect(Collectors.joining(","));
        Instant now = Instant.parse("2026-05-04T09:00:00Z");
        return """
                {"version":"4","groupKey":"{}:{alertname=\\"X\\"}","truncatedAlerts":0,
                 "status":"%s","receiver":"pharos","groupLabels":{},"commonLabels":{},
                 "commonAnnotations":{},"externalURL":"http://127.0.0.1:9093",
                 "alerts":[{"status":"%s","labels":{%s},
                   "annotations":{"summary":"blackbox probe failing"},
                   "startsAt":"%s","endsAt":"%s",
                   "generatorURL":"http://127.0.0.1:9090/graph","fingerprint":"%s"}]}
                """
                .formatted(
                        status,
                        status,
                        l,
                        now.minusSeconds(60),
                        "firing".equals(status) ? "0001-01-01T00:00:00Z" : now.toString(),
                        Integer.toHexString(labels.hashCode()));
    }
}
