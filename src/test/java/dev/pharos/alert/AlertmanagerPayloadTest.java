package dev.pharos.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pharos.testing.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Alertmanager's webhook format, version 4: what is taken, and what is refused and why. */
class AlertmanagerPayloadTest {
    private static List<InboundAlert> parse(String json) throws AlertmanagerPayload.Invalid {
        return AlertmanagerPayload.parse(json.getBytes(StandardCharsets.UTF_8), Json.MAPPER);
    }

    /** As Alertmanager 0.25 sends it: a firing alert has Go's zero time as endsAt. */
    static final String REAL =
            """
            {"receiver":"pharos","status":"firing","alerts":[
              {"status":"firing","labels":{"alertname":"PharosRegionDead","pharos_region":"europe",
               "severity":"critical"},"annotations":{"summary":"europe is dead"},
               "startsAt":"2026-01-01T10:00:00.123456789+02:00","endsAt":"0001-01-01T00:00:00Z",
               "generatorURL":"http://127.0.0.1:9090/graph","fingerprint":"6c3e4b2a1f0d9e8c"},
              {"status":"resolved","labels":{"alertname":"Other"},"annotations":{},
               "startsAt":"2026-01-01T07:00:00Z","endsAt":"2026-01-01T08:00:00Z",
               "generatorURL":"","fingerprint":""}],
             "groupLabels":{},"commonLabels":{},"commonAnnotations":{},
             "externalURL":"http://127.0.0.1:9093","version":"4","groupKey":"{}:{}",
             "truncatedAlerts":0}
            """;

    @Test
    void aRealPayloadIsRead() throws Exception {
        List<InboundAlert> alerts = parse(REAL);
        assertThat(alerts).hasSize(2);
        InboundAlert firing = alerts.get(0);
        assertThat(firing.firing()).isTrue();
        assertThat(firing.name()).isEqualTo("PharosRegionDead");
        assertThat(firing.label("pharos_region")).contains("europe");
        assertThat(firing.startsAt()).isEqualTo(Instant.parse("2026-01-01T08:00:00.123456789Z"));
        assertThat(firing.endsAt()).as("the zero time means none").isEmpty();
        assertThat(firing.fingerprint()).isEqualTo("6c3e4b2a1f0d9e8c");
        InboundAlert resolved = alerts.get(1);
        assertThat(resolved.status()).isEqualTo("resolved");
        assertThat(resolved.endsAt()).contains(Instant.parse("2026-01-01T08:00:00Z"));
        assertThat(resolved.fingerprint())
                .as("made from the labels when Alertmanager sent none")
                .isEqualTo(AlertmanagerPayload.fingerprint(resolved.labels()))
                .hasSize(16);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json at all | malformed JSON at line 1, column 1",
                "\"4\" | the payload must be a JSON object",
                "{\"alerts\":[]} | version: required (\"4\", Alertmanager's webhook format)",
                "{\"version\":4,\"alerts\":[]} | version: 4 is not supported (only \"4\")",
                "{\"version\":\"4\",\"alerts\":{}} | alerts: required, a list",
                "{\"version\":\"4\",\"status\":\"ok\",\"alerts\":[]} | status: must be \"firing\" or \"resolved\"",
                "{\"version\":\"4\",\"alerts\":[1]} | alerts[0]: must be an object",
                "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"startsAt\":\"2026-01-01T00:00:00Z\"}]} | alerts[0].labels: required, an object of strings",
                "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{}}]} | alerts[0].startsAt: required, an RFC 3339 time",
                "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"startsAt\":\"2026-01-01T00:00:00Z\",\"endsAt\":5}]} | alerts[0].endsAt: must be an RFC 3339 time",
                "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":null},\"startsAt\":\"2026-01-01T00:00:00Z\"}]} | alerts[0].labels.a: must be a string",
            })
    void aPayloadThatDoesNotFitIsRefusedNamingTheField(String json, String message) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(AlertmanagerPayload.Invalid.class)
                .hasMessage(message);
    }
}
