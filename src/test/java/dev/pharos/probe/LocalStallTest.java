package dev.pharos.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.ManualTicker;
import org.junit.jupiter.api.Test;

/** The heartbeat's lateness as this process's own stalls, in virtual time. */
class LocalStallTest {
    private static final long MS = 1_000_000;

    @Test
    void noStallWhileEveryHeartbeatIsOnTime() {
        ManualTicker ticker = new ManualTicker();
        LocalStall stall = new LocalStall(ticker);
        stall.start();
        ticker.advanceMillis(1000);
        assertThat(stall.longest(0, 1000 * MS)).isZero();
    }

    @Test
    void aLateHeartbeatIsAStallOfTheSpansItOverlaps() {
        ManualTicker ticker = new ManualTicker();
        LocalStall stall = new LocalStall(ticker);
        stall.start();
        ticker.advanceMillis(1000);
        // frozen from 1000 to 1300 ms: the beat due at 1020 fires at 1300
        ticker.stallMillis(300);
        ticker.advanceMillis(200);
        assertThat(stall.longest(900 * MS, 1400 * MS)).isEqualTo(280 * MS);
        // a span that ended before the stall, or began after it, saw none
        assertThat(stall.longest(500 * MS, 1010 * MS)).isZero();
        assertThat(stall.longest(1310 * MS, 1500 * MS)).isZero();
        // a span inside the stall saw it
        assertThat(stall.longest(1100 * MS, 1200 * MS)).isEqualTo(280 * MS);
    }

    @Test
    void anOverdueHeartbeatIsAStallUntilNow() {
        ManualTicker ticker = new ManualTicker();
        LocalStall stall = new LocalStall(ticker);
        stall.start();
        ticker.advanceMillis(1000);
        // asked while still frozen, before the late beat could run (as a probe's timeout timer
        // that runs first after a stall would ask)
        ticker.stallMillis(150);
        assertThat(stall.longest(1000 * MS, 1150 * MS)).isEqualTo(130 * MS);
    }

    @Test
    void stoppedMeansNoStall() {
        ManualTicker ticker = new ManualTicker();
        LocalStall stall = new LocalStall(ticker);
        stall.start();
        ticker.advanceMillis(100);
        ticker.stallMillis(300);
        stall.stop();
        ticker.advanceMillis(100);
        assertThat(stall.longest(0, 500 * MS)).isZero();
    }
}
