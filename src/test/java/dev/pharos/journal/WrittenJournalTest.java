package dev.pharos.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.journal.ActuatorEvent.ActuatorResumed;
import dev.pharos.journal.ActuatorEvent.ActuatorStopped;
import dev.pharos.journal.AlertEvent.AlertReceived;
import dev.pharos.journal.AlertEvent.PeerReprobe;
import dev.pharos.journal.AlertEvent.Reprobe;
import dev.pharos.journal.DecisionEvent.AllRegionsDown;
import dev.pharos.journal.DecisionEvent.AllRegionsDownResolved;
import dev.pharos.journal.DecisionEvent.DesiredChanged;
import dev.pharos.journal.DecisionEvent.GuardCleared;
import dev.pharos.journal.DecisionEvent.GuardFired;
import dev.pharos.journal.DnsEvent.ApplyIntent;
import dev.pharos.journal.DnsEvent.ApplyInterrupted;
import dev.pharos.journal.DnsEvent.ApplyOk;
import dev.pharos.journal.DnsEvent.ApplyRecovered;
import dev.pharos.journal.DnsEvent.Plan;
import dev.pharos.journal.DnsEvent.Propagated;
import dev.pharos.journal.DnsFailure.ApplyFailed;
import dev.pharos.journal.DnsFailure.VerifyFailed;
import dev.pharos.journal.NotifierEvent.NotificationFailed;
import dev.pharos.journal.OperatorEvent.Confirmed;
import dev.pharos.journal.OperatorEvent.DrainExpired;
import dev.pharos.journal.OperatorEvent.DrainRemoved;
import dev.pharos.journal.OperatorEvent.DrainSet;
import dev.pharos.journal.OperatorEvent.MaintenanceCancelled;
import dev.pharos.journal.OperatorEvent.MaintenanceScheduled;
import dev.pharos.journal.OperatorEvent.ResumeRequested;
import dev.pharos.journal.PipelineEvent.ContentStateChanged;
import dev.pharos.journal.PipelineEvent.QuorumLost;
import dev.pharos.journal.PipelineEvent.QuorumRegained;
import dev.pharos.journal.PipelineEvent.RegionStateChanged;
import dev.pharos.journal.PipelineEvent.Started;
import dev.pharos.journal.PipelineEvent.Stopped;
import dev.pharos.journal.PipelineEvent.VerdictChanged;
import dev.pharos.journal.PipelineEvent.WarmupDone;
import dev.pharos.journal.PipelineEvent.WritersOk;
import dev.pharos.journal.PipelineEvent.WritersWrong;
import dev.pharos.journal.RelayEvent.RelayFailed;
import dev.pharos.journal.RelayEvent.RelayIntent;
import dev.pharos.journal.RelayEvent.RelayOff;
import dev.pharos.journal.RelayEvent.RelayOn;
import dev.pharos.journal.RelayEvent.RelayPlan;
import dev.pharos.journal.RelayEvent.RelayRecovered;
import dev.pharos.testing.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A journal written by the previous version ({@link JournalFixture}) reads back line by line into
 * the typed events, and each is written again as the same JSON: existing journals stay readable and
 * the events API, notifications and {@code jq} recipes see the same fields. Shapes added since
 * (relay plans) are checked the same way from lines of their own.
 */
class WrittenJournalTest {
    enum About {
        NEVER,
        SOMETIMES,
        ALWAYS
    }

    /** The JSON shape of one kind of event: its type, region, target, and data keys in order. */
    record Shape(EventType type, About region, About target, List<String> keys) {
        /** Keys ending in "?" are left out when they have no value. */
        static Shape of(EventType type, About region, About target, String... keys) {
            return new Shape(type, region, target, List.of(keys));
        }

        List<String> required() {
            return keys.stream().filter(k -> !k.endsWith("?")).toList();
        }

        List<String> names() {
            return keys.stream().map(k -> k.replace("?", "")).toList();
        }
    }

    static final About N = About.NEVER;
    static final About S = About.SOMETIMES;
    static final About A = About.ALWAYS;

    static final Map<Class<? extends Event>, Shape> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put(Started.class, Shape.of(EventType.STARTED, N, N, "vantagePoints"));
        SHAPES.put(Stopped.class, Shape.of(EventType.STOPPED, N, N));
        SHAPES.put(
                VerdictChanged.class,
                Shape.of(
                        EventType.VERDICT_CHANGED,
                        S,
                        A,
                        "votes?",
                        "health",
                        "up",
                        "down",
                        "counted",
                        "quorum",
                        "reason"));
        SHAPES.put(
                QuorumLost.class,
                Shape.of(EventType.QUORUM_LOST, N, N, "reachable", "size", "missing"));
        SHAPES.put(
                QuorumRegained.class,
                Shape.of(EventType.QUORUM_REGAINED, N, N, "reachable", "size"));
        SHAPES.put(WarmupDone.class, Shape.of(EventType.WARMUP_DONE, N, N, "round"));
        SHAPES.put(
                dev.pharos.journal.PipelineEvent.CatchUp.class,
                Shape.of(EventType.CATCHUP, N, N, "state", "from"));
        SHAPES.put(
                WritersWrong.class, Shape.of(EventType.WRITERS_WRONG, N, N, "writers", "expected"));
        SHAPES.put(WritersOk.class, Shape.of(EventType.WRITERS_OK, N, N, "writers"));
        SHAPES.put(
                RegionStateChanged.class,
                Shape.of(
                        EventType.REGION_STATE_CHANGED,
                        A,
                        N,
                        "state",
                        "reason",
                        "families",
                        "verdicts"));
        SHAPES.put(
                ContentStateChanged.class,
                Shape.of(
                        EventType.CONTENT_STATE_CHANGED,
                        A,
                        N,
                        "from",
                        "to",
                        "reason",
                        "syncedAt?",
                        "version?",
                        "votes"));
        SHAPES.put(
                DesiredChanged.class,
                Shape.of(EventType.DESIRED_CHANGED, N, N, "records", "relays?", "evidence"));
        SHAPES.put(
                GuardFired.class,
                Shape.of(EventType.GUARD_FIRED, S, N, "guard", "region?", "record?"));
        SHAPES.put(
                GuardCleared.class,
                Shape.of(EventType.GUARD_CLEARED, S, N, "guard", "region?", "record?"));
        SHAPES.put(AllRegionsDown.class, Shape.of(EventType.ALL_REGIONS_DOWN, N, N));
        SHAPES.put(
                AllRegionsDownResolved.class, Shape.of(EventType.ALL_REGIONS_DOWN_RESOLVED, N, N));
        SHAPES.put(
                DrainSet.class,
                Shape.of(EventType.DRAIN_SET, A, N, "until", "reason", "by", "origin?"));
        SHAPES.put(DrainRemoved.class, Shape.of(EventType.DRAIN_REMOVED, A, N, "by", "origin?"));
        SHAPES.put(DrainExpired.class, Shape.of(EventType.DRAIN_EXPIRED, A, N, "reason"));
        SHAPES.put(
                Confirmed.class, Shape.of(EventType.CONFIRMED, N, N, "regions", "by", "origin?"));
        SHAPES.put(
                MaintenanceScheduled.class,
                Shape.of(
                        EventType.MAINTENANCE_SCHEDULED,
                        A,
                        N,
                        "id",
                        "start",
                        "end",
                        "reason",
                        "by",
                        "origin"));
        SHAPES.put(
                MaintenanceCancelled.class,
                Shape.of(EventType.MAINTENANCE_CANCELLED, A, N, "id", "by", "origin"));
        SHAPES.put(
                ResumeRequested.class,
                Shape.of(EventType.RESUME_REQUESTED, N, N, "actuator", "by", "origin"));
        SHAPES.put(
                PeerEvent.PeerRefused.class,
                Shape.of(EventType.PEER_REFUSED, N, N, "caller", "reason", "detail", "refused"));
        SHAPES.put(
                PeerEvent.AbstentionStarted.class,
                Shape.of(
                        EventType.ABSTENTION_STARTED,
                        N,
                        N,
                        "vantage",
                        "abstaining",
                        "vantagePoints"));
        SHAPES.put(
                PeerEvent.AbstentionEnded.class,
                Shape.of(
                        EventType.ABSTENTION_ENDED,
                        N,
                        N,
                        "vantage",
                        "abstaining",
                        "vantagePoints"));
        SHAPES.put(
                ApplyIntent.class,
                Shape.of(EventType.APPLY_INTENT, N, N, "actuator", "changes", "regions"));
        SHAPES.put(
                ApplyOk.class, Shape.of(EventType.APPLY_OK, N, N, "actuator", "changes", "tookMs"));
        SHAPES.put(
                ApplyRecovered.class,
                Shape.of(EventType.APPLY_OK, N, N, "actuator", "changes", "recovered"));
        SHAPES.put(
                ApplyFailed.class,
                Shape.of(
                        EventType.APPLY_FAILED,
                        N,
                        N,
                        "actuator",
                        "phase",
                        "error",
                        "retryable",
                        "changes?",
                        "retryInMs?"));
        SHAPES.put(VerifyFailed.class, Shape.of(EventType.APPLY_FAILED, N, N, "actuator", "phase"));
        SHAPES.put(
                Propagated.class,
                Shape.of(EventType.PROPAGATED, N, N, "actuator", "propagationMs"));
        SHAPES.put(
                ApplyInterrupted.class,
                Shape.of(EventType.APPLY_INTERRUPTED, N, N, "intent", "actuator"));
        SHAPES.put(Plan.class, Shape.of(EventType.PLAN, N, N, "actuator", "changes"));
        SHAPES.put(RelayPlan.class, Shape.of(EventType.PLAN, N, N, "actuator", "relays"));
        SHAPES.put(ActuatorStopped.class, Shape.of(EventType.ACTUATOR_STOPPED, S, N, "actuator"));
        SHAPES.put(ActuatorResumed.class, Shape.of(EventType.ACTUATOR_RESUMED, N, N, "actuator"));
        SHAPES.put(
                RelayOn.class,
                Shape.of(EventType.RELAY_ON, A, N, "target", "endpoint", "actuator"));
        SHAPES.put(RelayOff.class, Shape.of(EventType.RELAY_OFF, A, N, "actuator"));
        SHAPES.put(
                RelayIntent.class,
                Shape.of(
                        EventType.APPLY_INTENT,
                        A,
                        N,
                        "target?",
                        "endpoint?",
                        "actuator",
                        "relay",
                        "drift"));
        SHAPES.put(
                RelayFailed.class, Shape.of(EventType.APPLY_FAILED, A, N, "actuator", "retryInMs"));
        SHAPES.put(
                RelayRecovered.class, Shape.of(EventType.APPLY_OK, N, N, "actuator", "recovered"));
        SHAPES.put(
                AlertReceived.class,
                Shape.of(
                        EventType.ALERT_RECEIVED,
                        S,
                        S,
                        "status",
                        "labels",
                        "summary?",
                        "startsAt",
                        "endsAt?",
                        "fingerprint",
                        "targets?",
                        "vote?"));
        SHAPES.put(
                Reprobe.class,
                Shape.of(EventType.REPROBE, S, S, "targets", "vantagePoints", "reason"));
        SHAPES.put(PeerReprobe.class, Shape.of(EventType.REPROBE, S, S, "targets", "by", "reason"));
        SHAPES.put(
                NotificationFailed.class,
                Shape.of(
                        EventType.NOTIFICATION_FAILED,
                        S,
                        S,
                        "receiver",
                        "id",
                        "incident",
                        "status",
                        "event",
                        "attempts",
                        "reason"));
    }

    private static JsonNode tree(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void everyLineIsWrittenAgainAsTheSameJson() throws Exception {
        for (String line : JournalFixture.allLines()) {
            JournalEvent e = JournalFixture.read(line);
            assertThat(Json.MAPPER.readValue(line, JournalEvent.class))
                    .as("as a Jackson client reads it")
                    .isEqualTo(e);
            String again = Json.MAPPER.writeValueAsString(e);
            // data keys the previous version wrote from Map.of had no fixed order: compare trees
            assertThat(tree(again)).as(line).isEqualTo(tree(line));
            assertThat(names(tree(again))).as("field order").isEqualTo(names(tree(line)));
        }
    }

    @Test
    void eachKindOfEventHasItsShape() throws Exception {
        for (String line : JournalFixture.allLines()) {
            JsonNode json = tree(line);
            Event e = JournalFixture.read(line).event();
            Shape shape = SHAPES.get(e.getClass());
            assertThat(shape).as("a shape for %s", e.getClass()).isNotNull();
            assertThat(e.type()).as(line).isEqualTo(shape.type());
            assertThat(json.get("type").asText()).isEqualTo(shape.type().name());
            assertThat(json.get("severity").asText()).isEqualTo(e.severity().name());
            assertThat(json.get("message").asText()).isEqualTo(e.message());
            about(json, "region", shape.region(), line);
            about(json, "target", shape.target(), line);
            List<String> keys = json.has("data") ? names(json.get("data")) : List.of();
            assertThat(keys).as(line).containsAll(shape.required());
            assertThat(shape.names()).as(line).containsAll(keys);
            List<String> written = new ArrayList<>(e.data().keySet());
            assertThat(written)
                    .as("keys in the documented order")
                    .isEqualTo(shape.names().stream().filter(keys::contains).toList());
        }
    }

    private static void about(JsonNode json, String field, About about, String line) {
        switch (about) {
            case NEVER -> assertThat(json.has(field)).as(line).isFalse();
            case ALWAYS -> assertThat(json.has(field)).as(line).isTrue();
            case SOMETIMES -> {}
        }
    }

    /** Every record of the family, and so every event type Pharos writes, is in the fixtures. */
    @Test
    void theFixtureHoldsEveryKindOfEvent() {
        Set<Class<?>> read = new HashSet<>();
        JournalFixture.allLines().forEach(l -> read.add(JournalFixture.read(l).event().getClass()));
        Set<Class<?>> family = new HashSet<>();
        records(Event.class).forEach(family::add);
        assertThat(read).isEqualTo(family);
        assertThat(new HashSet<Class<?>>(SHAPES.keySet())).isEqualTo(family);
        Set<EventType> types = new HashSet<>();
        SHAPES.values().forEach(s -> types.add(s.type()));
        assertThat(types)
                .as("every type but VOTE_CHANGED, which no version writes")
                .containsExactlyInAnyOrder(
                        Stream.of(EventType.values())
                                .filter(t -> t != EventType.VOTE_CHANGED)
                                .toArray(EventType[]::new));
    }

    private static Stream<Class<?>> records(Class<?> type) {
        if (type.isRecord()) {
            return Stream.of(type);
        }
        return Stream.of(type.getPermittedSubclasses()).flatMap(WrittenJournalTest::records);
    }
}
