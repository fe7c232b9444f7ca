package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.ResponseRateLimiter.Decision.DROP;
import static dev.pharos.actuator.dns.embedded.ResponseRateLimiter.Decision.SEND;
import static dev.pharos.actuator.dns.embedded.ResponseRateLimiter.Decision.SLIP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.dns.embedded.ResponseRateLimiter.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets per client network, stepped by a hand-moved clock. */
class ResponseRateLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private List<Decision> burst(ResponseRateLimiter rrl, String client, int n) {
        List<Decision> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(rrl.check(client));
        }
        return out;
    }

    @Test
    void aBurstPastTheRateIsLimitedWithEverySecondResponseSlipped() {
        ResponseRateLimiter rrl = new ResponseRateLimiter(5, 2, nanos::get);
        assertThat(burst(rrl, "127.0.80.1", 11))
                .containsExactly(SEND, SEND, SEND, SEND, SEND, DROP, SLIP, DROP, SLIP, DROP, SLIP);
    }

    @Test
    void tokensComeBackWithTime() {
        ResponseRateLimiter rrl = new ResponseRateLimiter(10, 2, nanos::get);
        assertThat(burst(rrl, "127.0.80.1", 10)).containsOnly(SEND);
        assertThat(rrl.check("127.0.80.1")).isNotEqualTo(SEND);
        nanos.addAndGet(100_000_000L); // 0.1 s at 10/s: one token
        assertThat(rrl.check("127.0.80.1")).isEqualTo(SEND);
        assertThat(rrl.check("127.0.80.1")).isNotEqualTo(SEND);
        nanos.addAndGet(60_000_000_000L); // a long pause refills only up to one second's worth
        assertThat(burst(rrl, "127.0.80.1", 10)).containsOnly(SEND);
        assertThat(rrl.check("127.0.80.1")).isNotEqualTo(SEND);
    }

    @Test
    void addressesInOneSlash24ShareABucketAndOtherNetworksDoNot() {
        ResponseRateLimiter rrl = new ResponseRateLimiter(2, 0, nanos::get);
        assertThat(rrl.check("127.0.80.1")).isEqualTo(SEND);
        assertThat(rrl.check("127.0.80.200")).isEqualTo(SEND);
        assertThat(rrl.check("127.0.80.99")).isEqualTo(DROP);
        assertThat(rrl.check("127.0.81.1")).isEqualTo(SEND);
    }

    @Test
    void ipv6ClientsAreGroupedBySlash56() {
        ResponseRateLimiter rrl = new ResponseRateLimiter(1, 0, nanos::get);
        assertThat(rrl.check("2001:db8:0:ab00::1")).isEqualTo(SEND);
        assertThat(rrl.check("2001:db8:0:abff:ffff::9")).as("same /56").isEqualTo(DROP);
        assertThat(rrl.check("2001:db8:0:ac00::1")).as("next /56").isEqualTo(SEND);
        assertThat(rrl.check("::1")).isEqualTo(SEND);
    }

    @Test
    void slipZeroDropsEverythingAndSlipOneTruncatesEverything() {
        ResponseRateLimiter dropAll = new ResponseRateLimiter(1, 0, nanos::get);
        assertThat(burst(dropAll, "127.0.80.1", 5)).containsExactly(SEND, DROP, DROP, DROP, DROP);
        ResponseRateLimiter slipAll = new ResponseRateLimiter(1, 1, nanos::get);
        assertThat(burst(slipAll, "127.0.80.1", 4)).containsExactly(SEND, SLIP, SLIP, SLIP);
    }

    @Test
    void aRateOfZeroTurnsLimitingOff() {
        ResponseRateLimiter rrl = new ResponseRateLimiter(0, 2, nanos::get);
        assertThat(rrl.enabled()).isFalse();
        assertThat(burst(rrl, "127.0.80.1", 1000)).containsOnly(SEND);
    }

    @Test
    void idleNetworksAreForgottenWhenTooManyAreTracked() {
        ResponseRateLimiter rrl = new ResponseRateLimiter(1, 0, nanos::get);
        for (int i = 0; i < ResponseRateLimiter.MAX_TRACKED; i++) {
            rrl.check("127." + (i >> 8 & 0xFF) + "." + (i & 0xFF) + ".1");
        }
        assertThat(rrl.tracked()).isLessThanOrEqualTo(ResponseRateLimiter.MAX_TRACKED);
        nanos.addAndGet(2_000_000_000L);
        rrl.check("::1");
        assertThat(rrl.tracked()).isEqualTo(1);
    }
}
