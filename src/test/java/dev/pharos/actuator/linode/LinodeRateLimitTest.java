package dev.pharos.actuator.linode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
 * Linode's Retry-After is honoured whatever its length, and by every client of the token in this
 * process: after a 429 no request on that token leaves before the time Linode gave. The emulator
 * shares the fake clock, so it flags a request sent too early exactly as the client would see it.
 */
@QuarkusTest
@QuarkusTestResource(value = LinodeAppResource.class, restrictToAnnotatedClass = true)
class LinodeRateLimitTest {
    static final String TOKEN = "rate-limit-test-token-0c4d-never-print-me";

    LinodeEmulator emulator;
    long domain;
    final FakeSleeper sleeper = new FakeSleeper(MutableClock.atEpoch());
    final MutableClock clock = sleeper.clock;
    final List<Duration> slept = sleeper.slept;

    @BeforeEach
    void start() {
        emulator = LinodeEmulator.start(LinodeSpec.require(), TOKEN, "127.0.85.6");
        emulator.clock(clock);
        domain = emulator.addDomain("example.test");
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            assertThat(emulator.violations()).as("spec violations").isEmpty();
            assertThat(emulator.earlyRetries()).as("requests before Retry-After").isEmpty();
            emulator.close();
        }
    }

    private LinodeClient client() {
        return LinodeClient.create(
                emulator.baseUrl(),
                TOKEN,
                RateBudget.perMinute(100, clock),
                sleeper,
                LinodeClient.Settings.defaults());
    }

    @Test
    void aRetryAfterLongerThanTheCapKeepsEveryRequestBackUntilItHasPassed() throws Exception {
        LinodeClient c = client();
        emulator.inject(Fault.rateLimit(1, 45));
        LinodeApiException first =
                catchThrowableOfType(LinodeApiException.class, () -> c.records(domain));
        assertThat(first.retryable()).isTrue();
        assertThat(first.getMessage()).contains("45 s");

        // the reconciler's first backoff is 250 ms: its retry must not reach Linode
        clock.advance(Duration.ofMillis(330));
        LinodeApiException again =
                catchThrowableOfType(LinodeApiException.class, () -> c.records(domain));
        assertThat(again).as("the retry is held back, not sent").isNotNull();
        assertThat(again.retryable()).isTrue();
        assertThat(emulator.calls()).hasSize(1);

        // once the rest is within the cap the client waits it out, then asks
        clock.advance(Duration.ofSeconds(20));
        assertThat(c.records(domain)).isEmpty();
        assertThat(emulator.calls())
                .extracting(LinodeEmulator.Call::status)
                .containsExactly(429, 200);
        assertThat(Duration.between(emulator.calls().get(0).at(), emulator.calls().get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void a429SeenByOneClientPausesEveryOtherClientOfTheSameToken() throws Exception {
        // the DNS reconciler's client and the NodeBalancer watch's, with their own objects
        LinodeClient dns = client();
        LinodeClient watch = client();
        emulator.inject(Fault.rateLimit(1, 40));
        catchThrowableOfType(LinodeApiException.class, () -> dns.records(domain));

        LinodeApiException held =
                catchThrowableOfType(LinodeApiException.class, () -> watch.records(domain));
        assertThat(held).as("the watch's request waits for the token's Retry-After").isNotNull();
        assertThat(held.retryable()).isTrue();
        assertThat(emulator.calls()).as("nothing sent while the token is paused").hasSize(1);

        clock.advance(Duration.ofSeconds(15));
        assertThat(watch.records(domain)).isEmpty();
        assertThat(slept).contains(Duration.ofSeconds(25));
        assertThat(emulator.calls())
                .extracting(LinodeEmulator.Call::status)
                .containsExactly(429, 200);
    }

    @Test
    void anotherTokenIsNotPaused() throws Exception {
        String other = "rate-limit-other-token-7e1a-never-print-me";
        emulator.allowToken(other);
        emulator.inject(Fault.rateLimit(1, 40));
        catchThrowableOfType(LinodeApiException.class, () -> client().records(domain));
        LinodeClient second =
                LinodeClient.create(
                        emulator.baseUrl(),
                        other,
                        RateBudget.perMinute(100, clock),
                        sleeper,
                        LinodeClient.Settings.defaults());
        assertThat(second.records(domain)).isEmpty();
        assertThat(slept).isEmpty();
    }

    @Test
    void aTightLimitPerTokenIsWaitedOutByEveryClientWithoutAnEarlyRequest() throws Exception {
        emulator.limitPerToken(3, Duration.ofSeconds(10));
        LinodeClient a = client();
        LinodeClient b = client();
        for (int i = 0; i < 4; i++) {
            a.records(domain);
            b.records(domain);
        }
        // 8 answered, each window of 10 s held at most 3, and each 429 was waited out
        assertThat(emulator.calls()).filteredOn(c -> c.status() == 200).hasSize(8);
        assertThat(emulator.calls().get(emulator.calls().size() - 1).at())
                .isAfterOrEqualTo(MutableClock.atEpoch().instant().plusSeconds(20));
    }
}
