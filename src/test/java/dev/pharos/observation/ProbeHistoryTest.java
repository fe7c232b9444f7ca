package dev.pharos.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeHistoryTest {
    // 00:00:03 into a bucket that starts at 00:00:00
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:03Z"));
    private final ProbeHistory history =
            new ProbeHistory(List.of("eu/lb/ipv4", "us/lb/ipv4"), clock);

    private ProbeHistory.Series series(String id) {
        return history.window(id).orElseThrow().targets().get(0);
    }

    @Test
    void theWindowIsTheLastHourInTenSecondBucketsEndingWithTheCurrentOne() {
        ProbeHistory.Window w = history.window();
        assertThat(w.to()).isEqualTo(Instant.parse("2026-01-01T12:00:10Z"));
        assertThat(w.from()).isEqualTo(Instant.parse("2026-01-01T11:00:10Z"));
        assertThat(w.targets())
                .extracting(ProbeHistory.Series::id)
                .containsExactly("eu/lb/ipv4", "us/lb/ipv4");
        for (ProbeHistory.Series s : w.targets()) {
            assertThat(s.probes()).hasSize(ProbeHistory.BUCKETS).containsOnly(0);
            assertThat(s.meanMillis()).containsOnly(Float.NaN);
        }
    }

    @Test
    void aBucketCountsProbesAndFailuresAndTheLatencyOfSuccessfulProbesOnly() {
        history.record("eu/lb/ipv4", true, 10);
        history.record("eu/lb/ipv4", true, 30);
        history.record("eu/lb/ipv4", false, 700); // a timeout: not a latency
        clock.advance(Duration.ofSeconds(6)); // 00:00:09, same bucket
        history.record("eu/lb/ipv4", true, 20);
        ProbeHistory.Series s = series("eu/lb/ipv4");
        int last = ProbeHistory.BUCKETS - 1;
        assertThat(s.probes()[last]).isEqualTo(4);
        assertThat(s.failed()[last]).isEqualTo(1);
        assertThat(s.meanMillis()[last]).isEqualTo(20f);
        assertThat(s.maxMillis()[last]).isEqualTo(30f);
        // the other target saw nothing
        assertThat(series("us/lb/ipv4").probes()[last]).isZero();
    }

    @Test
    void olderBucketsMoveLeftAndABucketOfOnlyFailuresHasNoLatency() {
        history.record("eu/lb/ipv4", true, 12);
        clock.advance(Duration.ofSeconds(10));
        history.record("eu/lb/ipv4", false, 700);
        clock.advance(Duration.ofSeconds(30)); // two empty buckets, then the current one
        ProbeHistory.Series s = series("eu/lb/ipv4");
        int last = ProbeHistory.BUCKETS - 1;
        assertThat(s.probes()[last - 4]).isEqualTo(1);
        assertThat(s.meanMillis()[last - 4]).isEqualTo(12f);
        assertThat(s.probes()[last - 3]).isEqualTo(1);
        assertThat(s.failed()[last - 3]).isEqualTo(1);
        assertThat(s.meanMillis()[last - 3]).isNaN();
        assertThat(s.maxMillis()[last - 3]).isNaN();
        assertThat(s.probes()[last - 2]).isZero();
        assertThat(s.probes()[last]).isZero();
    }

    @Test
    void aProbeOlderThanAnHourIsGoneAndItsSlotIsReusedWithoutItsCounts() {
        history.record("eu/lb/ipv4", false, 1);
        history.record("eu/lb/ipv4", true, 50);
        // an hour later the same slot holds the new bucket: the old counts must not add up
        clock.advance(Duration.ofHours(1));
        assertThat(series("eu/lb/ipv4").probes()).containsOnly(0);
        history.record("eu/lb/ipv4", true, 5);
        ProbeHistory.Series s = series("eu/lb/ipv4");
        int last = ProbeHistory.BUCKETS - 1;
        assertThat(s.probes()[last]).isEqualTo(1);
        assertThat(s.failed()[last]).isZero();
        assertThat(s.maxMillis()[last]).isEqualTo(5f);
        assertThat(s.probes()).containsOnlyOnce(1);
    }

    @Test
    void theLastBucketOfTheHourIsStillThere() {
        history.record("eu/lb/ipv4", true, 7);
        clock.advance(Duration.ofSeconds(10L * (ProbeHistory.BUCKETS - 1)));
        assertThat(series("eu/lb/ipv4").probes()[0]).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(series("eu/lb/ipv4").probes()).containsOnly(0);
    }

    @Test
    void aClockSteppedBackNeverOverwritesANewerBucket() {
        clock.advance(Duration.ofHours(1));
        history.record("eu/lb/ipv4", true, 8);
        clock.advance(Duration.ofHours(-1)); // the same slot, an hour earlier
        history.record("eu/lb/ipv4", false, 700);
        clock.advance(Duration.ofHours(1));
        ProbeHistory.Series s = series("eu/lb/ipv4");
        int last = ProbeHistory.BUCKETS - 1;
        assertThat(s.probes()[last]).isEqualTo(1);
        assertThat(s.failed()[last]).isZero();
    }

    @Test
    void anUnknownTargetIsIgnoredAndHasNoWindow() {
        history.record("nowhere/lb/ipv4", true, 1);
        assertThat(history.window("nowhere/lb/ipv4")).isEmpty();
        assertThat(history.window().targets()).hasSize(2);
    }
}
