package dev.pharos.actuator.linode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.linode.LinodeModel.DomainRecord;
import dev.pharos.actuator.linode.LinodeModel.NewDomainRecord;
import dev.pharos.actuator.linode.emulator.Fault;
import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.actuator.linode.emulator.LinodeSpec;
import dev.pharos.testing.MutableClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Linode client against the emulator: pagination, Retry-After, backoff, lost answers, error
 * mapping and the request budget. Waits go through a fake sleeper that moves a fake clock, so no
 * test sleeps (except the one slow answer, which needs a real read timeout).
 */
@QuarkusTest
@QuarkusTestResource(value = LinodeAppResource.class, restrictToAnnotatedClass = true)
class LinodeClientTest {
    static final String TOKEN = "client-test-token-5d2e-never-print-me";

    LinodeEmulator emulator;
    long domain;
    final FakeSleeper sleeper = new FakeSleeper(MutableClock.atEpoch());
    final MutableClock clock = sleeper.clock;
    final List<Duration> slept = sleeper.slept;

    @BeforeEach
    void start() {
        emulator = LinodeEmulator.start(LinodeSpec.require(), TOKEN, "127.0.85.2");
        domain = emulator.addDomain("example.test");
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            assertThat(emulator.violations()).as("spec violations").isEmpty();
            emulator.close();
        }
    }

    private LinodeClient client(String token, LinodeClient.Settings settings) {
        return LinodeClient.create(
                emulator.baseUrl(), token, RateBudget.perMinute(100, clock), sleeper, settings);
    }

    private LinodeClient client() {
        return client(TOKEN, LinodeClient.Settings.defaults());
    }

    @Test
    void readsEveryPageOfALongList() throws Exception {
        for (int i = 0; i < 130; i++) {
            emulator.addRecord(domain, "A", "host" + i, "127.0.99." + (i % 250), 300);
        }
        List<DomainRecord> all =
                client(TOKEN, LinodeClient.Settings.defaults().withPageSize(25)).records(domain);
        assertThat(all).hasSize(130);
        assertThat(all.stream().map(DomainRecord::id).distinct()).hasSize(130);
        assertThat(emulator.calls()).hasSize(6);
        assertThat(emulator.calls().get(5).query()).contains("page=6").contains("page_size=25");
    }

    @Test
    void aListThatShiftsBetweenPagesIsReadAgainSoNoRowIsMissed() throws Exception {
        for (int i = 0; i < 130; i++) {
            emulator.addRecord(domain, "A", "host" + i, "127.0.99." + (i % 250), 300);
        }
        // someone deletes two old rows between our first and second page
        emulator.inject(Fault.pageShift(2).under("/v4/domains/" + domain + "/records"));
        List<DomainRecord> all =
                client(TOKEN, LinodeClient.Settings.defaults().withPageSize(25)).records(domain);
        assertThat(emulator.shiftedOut()).hasSize(2);
        assertThat(all)
                .extracting(DomainRecord::id)
                .containsExactlyElementsOf(
                        emulator.rows(domain).stream().map(LinodeEmulator.Row::id).toList());
    }

    @Test
    void findsTheDomainByNameAcrossPages() throws Exception {
        for (int i = 0; i < 60; i++) {
            emulator.addDomain("filler" + i + ".test");
        }
        long wanted = emulator.addDomain("cdn.example.org");
        LinodeClient c = client(TOKEN, LinodeClient.Settings.defaults().withPageSize(25));
        assertThat(c.domain("CDN.example.org"))
                .get()
                .extracting(LinodeModel.Domain::id)
                .isEqualTo(wanted);
        assertThat(c.domain("missing.example.org")).isEmpty();
    }

    @Test
    void a429WaitsForRetryAfterAndTriesAgain() throws Exception {
        emulator.inject(Fault.rateLimit(2, 3));
        assertThat(client().records(domain)).isEmpty();
        assertThat(slept).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
        assertThat(emulator.calls())
                .extracting(LinodeEmulator.Call::status)
                .containsExactly(429, 429, 200);
    }

    @Test
    void aRetryAfterLongerThanTheCapFailsRetryablyAtOnce() {
        emulator.inject(Fault.rateLimit(1, 120));
        LinodeApiException e =
                catchThrowableOfType(LinodeApiException.class, () -> client().records(domain));
        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.getMessage()).contains("rate limited").contains("120 s");
        assertThat(slept).isEmpty();
    }

    @Test
    void serverErrorsAreRetriedWithExponentialBackoff() throws Exception {
        emulator.inject(Fault.serverError(2));
        assertThat(client().records(domain)).isEmpty();
        assertThat(slept).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void serverErrorsBeyondTheAttemptsFailRetryably() {
        emulator.inject(Fault.serverError(10));
        LinodeApiException e =
                catchThrowableOfType(LinodeApiException.class, () -> client().records(domain));
        assertThat(e.kind()).isEqualTo(ActuatorException.Kind.RETRYABLE);
        assertThat(e.getMessage()).contains("failed 4 times").contains("HTTP 500");
        assertThat(emulator.calls()).hasSize(4);
        assertThat(slept)
                .containsExactly(
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void aDroppedConnectionIsRetriedForAnIdempotentRequest() throws Exception {
        long id = emulator.addRecord(domain, "A", "cdn", "127.0.1.1", 30);
        emulator.inject(Fault.drop(1));
        assertThat(client().deleteRecord(domain, id)).isTrue();
        assertThat(emulator.rows(domain)).isEmpty();
        assertThat(emulator.calls())
                .extracting(LinodeEmulator.Call::status)
                .containsExactly(0, 200);
    }

    @Test
    void aDeleteWhoseAnswerWasLostCountsAsDoneWhenRepeated() throws Exception {
        long id = emulator.addRecord(domain, "A", "cdn", "127.0.1.1", 30);
        emulator.inject(Fault.writeAppliedThenDropped(1));
        assertThat(client().deleteRecord(domain, id)).isFalse();
        assertThat(emulator.rows(domain)).isEmpty();
        assertThat(emulator.calls())
                .extracting(LinodeEmulator.Call::status)
                .containsExactly(0, 404);
    }

    @Test
    void aSlowAnswerTimesOutAndIsRetried() throws Exception {
        emulator.inject(Fault.slow(1, Duration.ofSeconds(4)));
        LinodeClient c =
                client(TOKEN, LinodeClient.Settings.defaults().withTimeout(Duration.ofSeconds(1)));
        assertThat(c.records(domain)).isEmpty();
        assertThat(emulator.calls()).hasSize(2);
        assertThat(slept).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void aCreateWhoseAnswerIsLostIsNotRepeatedSoItCannotMakeADuplicate() {
        emulator.inject(Fault.writeAppliedThenDropped(1));
        LinodeApiException e =
                catchThrowableOfType(
                        LinodeApiException.class,
                        () ->
                                client().createRecord(
                                                domain,
                                                new NewDomainRecord("A", "cdn", "127.0.1.1", 30)));
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("not repeated");
        assertThat(emulator.rows(domain)).hasSize(1);
        assertThat(emulator.calls()).hasSize(1);
    }

    @Test
    void a401IsPermanentNamesTheCauseAndNeverTheToken() {
        String wrong = "wrong-token-0b7d-never-print-me";
        LinodeApiException e =
                catchThrowableOfType(
                        LinodeApiException.class,
                        () -> client(wrong, LinodeClient.Settings.defaults()).records(domain));
        assertThat(e.kind()).isEqualTo(ActuatorException.Kind.PERMANENT);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage())
                .contains("401")
                .contains("Invalid Token")
                .contains("token is missing, wrong or expired");
        assertThat(e.toString()).doesNotContain(wrong).doesNotContain(TOKEN);
        assertThat(emulator.calls()).hasSize(1);
    }

    @Test
    void badRequestsAndMissingObjectsArePermanentWithLinodesReasons() {
        LinodeApiException bad =
                catchThrowableOfType(
                        LinodeApiException.class,
                        () ->
                                client().createRecord(
                                                domain,
                                                new NewDomainRecord(
                                                        "A", "cdn", "not-an-address", 30)));
        assertThat(bad.kind()).isEqualTo(ActuatorException.Kind.PERMANENT);
        assertThat(bad.getMessage())
                .contains("400")
                .contains("target: Must be a valid IPv4 address");
        LinodeApiException missing =
                catchThrowableOfType(
                        LinodeApiException.class, () -> client().records(domain + 999));
        assertThat(missing.kind()).isEqualTo(ActuatorException.Kind.PERMANENT);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(emulator.calls()).hasSize(2);
    }

    @Test
    void theRequestBudgetWaitsWhenSpentAndFailsRetryablyWhenTheWaitIsTooLong() throws Exception {
        RateBudget budget = new RateBudget(60, 2, clock);
        LinodeClient c =
                LinodeClient.create(
                        emulator.baseUrl(),
                        TOKEN,
                        budget,
                        sleeper,
                        LinodeClient.Settings.defaults());
        for (int i = 0; i < 4; i++) {
            c.records(domain);
        }
        // two from the burst, then one a second
        assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(emulator.calls()).hasSize(4);

        RateBudget slow = new RateBudget(1, 1, clock);
        LinodeClient starved =
                LinodeClient.create(
                        emulator.baseUrl(), TOKEN, slow, sleeper, LinodeClient.Settings.defaults());
        starved.records(domain);
        slept.clear();
        LinodeApiException e =
                catchThrowableOfType(LinodeApiException.class, () -> starved.records(domain));
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("request budget");
        assertThat(emulator.calls()).hasSize(5);
        assertThat(slept).isEmpty();
    }
}
