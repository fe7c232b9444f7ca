package dev.pharos.actuator.linode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pharos.actuator.linode.emulator.Fault;
import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import dev.pharos.testing.Management;
import dev.pharos.testing.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Linode metrics: every series exists before the first request, requests are counted by
 * operation (a templated path, never an id) and answer, 429s with their Retry-After, the waits for
 * a token's Retry-After and for the budget, and requests held back.
 */
@QuarkusTest
@QuarkusTestResource(value = LinodeAppResource.class, restrictToAnnotatedClass = true)
class LinodeMetricsTest {
    static final String TOKEN = "metrics-test-token-a83c-never-print-me";
    static final String RECORDS = Endpoint.LIST_RECORDS.label();

    LinodeEmulator emulator;
    long domain;
    final MutableClock clock = MutableClock.atEpoch();
    final MeterRegistry registry = new SimpleMeterRegistry();
    final LinodeMetrics metrics = new LinodeMetrics(registry);

    @BeforeEach
    void start() {
        emulator = LinodeEmulator.start(LinodeSpec.require(), TOKEN, "127.0.85.10");
        emulator.clock(clock);
        domain = emulator.addDomain("example.test");
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            assertThat(emulator.violations()).isEmpty();
            emulator.close();
        }
    }

    private LinodeClient client(RateBudget budget) {
        return LinodeClient.create(
                emulator.baseUrl(),
                TOKEN,
                budget,
                clock::advanceSleeping,
                LinodeClient.Settings.defaults(),
                metrics);
    }

    private double requests(String endpoint, String status) {
        return registry.get("pharos_linode_requests_total")
                .tags("endpoint", endpoint, "status", status)
                .counter()
                .count();
    }

    @Test
    void everySeriesExistsBeforeTheFirstRequest() {
        assertThat(registry.find("pharos_linode_requests_total").counters())
                .hasSize(Endpoint.values().length * LinodeMetrics.STATUSES.size());
        assertThat(registry.find("pharos_linode_wait_seconds").timers()).hasSize(2);
        assertThat(registry.find("pharos_linode_held_total").counters()).hasSize(2);
        assertThat(registry.find("pharos_linode_unconfirmed_creations_total").counters())
                .hasSize(2);
        assertThat(registry.find("pharos_linode_nodebalancer_watch_errors_total").counters())
                .hasSize(2);
        assertThat(registry.get("pharos_linode_nodebalancer_watch_up").gauge().value())
                .isEqualTo(1.0);
        assertThat(registry.get("pharos_linode_retry_after_seconds").summary().count()).isZero();
    }

    @Test
    void requestsRateLimitsAndWaitsAreCounted() throws Exception {
        LinodeClient c = client(new RateBudget(30, 1, clock));
        emulator.inject(Fault.rateLimit(1, 5));
        // faults apply in the order given: the 429 to the first request, the drop to the second
        emulator.inject(Fault.drop(1));
        c.records(domain);
        // 429, then a dropped answer, then 200
        assertThat(requests(RECORDS, "429")).isEqualTo(1);
        assertThat(requests(RECORDS, "none")).isEqualTo(1);
        assertThat(requests(RECORDS, "2xx")).isEqualTo(1);
        var retryAfter = registry.get("pharos_linode_retry_after_seconds").summary();
        assertThat(retryAfter.count()).isEqualTo(1);
        assertThat(retryAfter.totalAmount()).isEqualTo(5.0);
        var waitedForLinode =
                registry.get("pharos_linode_wait_seconds").tag("reason", "retry_after").timer();
        assertThat(waitedForLinode.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(5);
        // one request every 2 s: the third, 1 s after the drop (its backoff), waited for the budget
        assertThat(
                        registry.get("pharos_linode_wait_seconds")
                                .tag("reason", "budget")
                                .timer()
                                .count())
                .isGreaterThanOrEqualTo(1);

        emulator.inject(Fault.rateLimit(1, 45));
        catchThrowableOfType(LinodeApiException.class, () -> c.records(domain));
        catchThrowableOfType(LinodeApiException.class, () -> c.records(domain));
        assertThat(
                        registry.get("pharos_linode_held_total")
                                .tag("reason", "retry_after")
                                .counter()
                                .count())
                .isEqualTo(2);
        assertThat(requests(RECORDS, "429")).isEqualTo(2);
    }

    @Test
    void writesAreCountedByOperationNeverById() throws Exception {
        LinodeClient c = client(RateBudget.perMinute(100, clock));
        long id = emulator.addRecord(domain, "A", "cdn", "127.0.1.1", 30);
        c.updateRecordTtl(domain, id, 120);
        c.deleteRecord(domain, id);
        c.deleteRecord(domain, id);
        assertThat(requests(Endpoint.UPDATE_RECORD.label(), "2xx")).isEqualTo(1);
        assertThat(requests(Endpoint.DELETE_RECORD.label(), "2xx")).isEqualTo(1);
        assertThat(requests(Endpoint.DELETE_RECORD.label(), "404")).isEqualTo(1);
        assertThat(registry.getMeters())
                .allMatch(
                        m ->
                                m.getId().getTags().stream()
                                        .noneMatch(t -> t.getValue().contains("" + id)));
    }

    @Test
    void theApplicationExposesThemWithTheNodeBalancerWatchsRequests() {
        String configs =
                "pharos_linode_requests_total\\{endpoint=\"GET /nodebalancers/\\{nodeBalancerId\\}"
                        + "/configs\",status=\"2xx\"\\} [1-9]";
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(
                                                Management.given()
                                                        .get("/q/metrics")
                                                        .then()
                                                        .statusCode(200)
                                                        .extract()
                                                        .asString())
                                        .contains("pharos_linode_nodebalancer_watch_up")
                                        .contains("pharos_linode_retry_after_seconds")
                                        .containsPattern(configs)
                                        .doesNotContain(LinodeAppResource.LB_TOKEN));
    }
}
