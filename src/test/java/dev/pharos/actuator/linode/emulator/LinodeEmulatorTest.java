package dev.pharos.actuator.linode.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.testing.Json;
import dev.pharos.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator's fault rules and flags do what the tests rely on: X-Filter as Linode filters (and
 * refuses what it does not allow), a per-token limit shared by every sender of the token, early
 * requests flagged, a write applied after its answer was lost, a page shift, a row vanishing before
 * a write, duplicate rows recorded. Plain HTTP, a fake clock shared with the emulator.
 */
class LinodeEmulatorTest {
    static final String TOKEN = "emulator-test-token";
    final MutableClock clock = MutableClock.atEpoch();
    final HttpClient http = HttpClient.newHttpClient();
    LinodeEmulator emulator;
    long domain;

    @BeforeEach
    void start() {
        emulator = LinodeEmulator.start(LinodeSpec.require(), TOKEN, "127.0.85.9");
        emulator.clock(clock);
        domain = emulator.addDomain("example.test");
        emulator.addRecord(domain, "A", "cdn", "127.0.1.1", 30);
        emulator.addRecord(domain, "A", "cdn", "127.0.2.1", 30);
        emulator.addRecord(domain, "TXT", "cdn", "hello", 300);
        emulator.addRecord(domain, "A", "www", "127.0.1.1", 30);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private HttpResponse<String> send(String method, String path, String filter, String body)
            throws Exception {
        return send(method, path, filter, body, TOKEN);
    }

    private HttpResponse<String> send(
            String method, String path, String filter, String body, String token) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (filter != null) {
            b.header("X-Filter", filter);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String records() {
        return "/domains/" + domain + "/records";
    }

    @Test
    void xFilterSelectsByNameAndTypeAndRefusesAFieldLinodeDoesNotFilterOn() throws Exception {
        JsonNode page =
                Json.MAPPER.readTree(
                        send(
                                        "GET",
                                        records(),
                                        "{\"+or\":[{\"name\":\"cdn\",\"type\":\"A\"},"
                                                + "{\"name\":\"nothing\",\"type\":\"AAAA\"}]}",
                                        null)
                                .body());
        assertThat(page.get("results").asInt()).isEqualTo(2);
        assertThat(page.get("data").findValuesAsText("target"))
                .containsExactly("127.0.1.1", "127.0.2.1");
        assertThat(emulator.violations()).isEmpty();

        HttpResponse<String> refused = send("GET", records(), "{\"ttl_sec\":30}", null);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Cannot filter on ttl_sec");
        assertThat(emulator.violations()).singleElement().asString().contains("ttl_sec");
    }

    @Test
    void thePerTokenLimitIsSharedByEverySenderAndEarlyRequestsAreFlagged() throws Exception {
        emulator.allowToken("other");
        emulator.limitPerToken(2, Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(3));
        assertThat(send("GET", records(), null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", records(), null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = send("GET", records(), null, null);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("7");
        assertThat(send("GET", records(), null, null, "other").statusCode()).isEqualTo(200);
        assertThat(emulator.earlyRetries()).isEmpty();

        clock.advance(Duration.ofSeconds(2));
        assertThat(send("GET", records(), null, null).statusCode()).isEqualTo(429);
        assertThat(emulator.earlyRetries())
                .singleElement()
                .matches(e -> e.early().equals(Duration.ofSeconds(5)))
                .matches(e -> e.sinceTold().equals(Duration.ofSeconds(2)));
        clock.advance(Duration.ofSeconds(7));
        assertThat(send("GET", records(), null, null).statusCode()).isEqualTo(200);
        assertThat(emulator.earlyRetries()).hasSize(1);
    }

    @Test
    void aStormAnswers429WithTheSecondsLeftUntilItEnds() throws Exception {
        emulator.storm(Duration.ofSeconds(45));
        HttpResponse<String> first = send("GET", records(), null, null);
        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).contains("45");
        clock.advance(Duration.ofMillis(44_500));
        java.time.Instant last = clock.instant();
        assertThat(send("GET", records(), null, null).headers().firstValue("Retry-After"))
                .contains("1");
        // the storm ends at 45 s, but that last 429 said 1 s (whole seconds, rounded up)
        clock.advance(Duration.ofMillis(1000));
        assertThat(send("GET", records(), null, null).statusCode()).isEqualTo(200);
        assertThat(emulator.earlyRetries()).singleElement().matches(e -> e.at().equals(last));
    }

    @Test
    void aWriteAppliedLateShowsOnlyAfterItsDelayAndAnEqualRowIsADuplicate() throws Exception {
        emulator.inject(Fault.writeAppliedLate(1, Duration.ofSeconds(5)));
        String row = "{\"type\":\"A\",\"name\":\"www\",\"target\":\"127.0.1.1\",\"ttl_sec\":30}";
        try {
            send("POST", records(), null, row);
        } catch (java.io.IOException lost) {
            // the answer is lost, as the fault says
        }
        assertThat(emulator.rows(domain)).hasSize(4);
        clock.advance(Duration.ofSeconds(5));
        assertThat(emulator.rows(domain)).hasSize(5);
        assertThat(emulator.duplicates())
                .singleElement()
                .matches(d -> d.name().equals("www") && d.removed().isEmpty());
        long late = emulator.rows(domain).get(4).id();
        clock.advance(Duration.ofSeconds(3));
        assertThat(send("DELETE", records() + "/" + late, null, null).statusCode()).isEqualTo(200);
        assertThat(emulator.duplicates())
                .singleElement()
                .matches(d -> d.removed().orElseThrow().equals(clock.instant()));
        assertThat(emulator.calls())
                .extracting(LinodeEmulator.Call::status)
                .containsExactly(0, 200);
    }

    @Test
    void aPageShiftDeletesTheLowestRowsAfterTheReadAndAVanishingRowAnswers404() throws Exception {
        long first = emulator.rows(domain).get(0).id();
        emulator.inject(Fault.pageShift(1));
        assertThat(Json.MAPPER.readTree(send("GET", records(), null, null).body()).get("results"))
                .hasToString("4");
        assertThat(emulator.shiftedOut()).extracting(LinodeEmulator.Row::id).containsExactly(first);
        assertThat(emulator.rows(domain)).hasSize(3);

        long www = emulator.rows(domain).get(2).id();
        emulator.inject(Fault.rowVanishes(1));
        assertThat(send("PUT", records() + "/" + www, null, "{\"ttl_sec\":300}").statusCode())
                .isEqualTo(404);
        assertThat(emulator.rows(domain)).hasSize(2);
        assertThat(emulator.violations()).isEmpty();
    }
}
