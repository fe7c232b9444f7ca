package dev.pharos.actuator.dns.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SOA serials increase on every change, follow the clock, and survive a restart. */
class ZoneSerialTest {
    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_800_000_000L));

    @Test
    void serialsFollowTheClockAndStillIncreaseWithinOneSecond() {
        ZoneSerial serials = new ZoneSerial(clock, Optional.empty());
        long first = serials.first();
        assertThat(first).isEqualTo(1_800_000_000L);
        long second = serials.next(first);
        long third = serials.next(second);
        assertThat(second).isEqualTo(first + 1);
        assertThat(third).isEqualTo(first + 2);
        clock.advance(Duration.ofHours(1));
        assertThat(serials.next(third)).isEqualTo(1_800_003_600L);
    }

    @Test
    void aRestartContinuesAboveTheLastSerialEvenWithTheClockBehind(@TempDir Path dir) {
        Path file = dir.resolve("dns-serial");
        ZoneSerial before = new ZoneSerial(clock, Optional.of(file));
        long s = before.first();
        for (int i = 0; i < 100; i++) {
            s = before.next(s); // a hundred changes in one second
        }
        assertThat(file).exists();
        clock.advance(
                Duration.ofSeconds(5)); // restarted five seconds later: the clock alone is behind
        ZoneSerial after = new ZoneSerial(clock, Optional.of(file));
        assertThat(after.first()).isEqualTo(s + 1);
    }

    @Test
    void anUnreadableFileFallsBackToTheClock(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dns-serial");
        Files.writeString(file, "not a number");
        assertThat(new ZoneSerial(clock, Optional.of(file)).first()).isEqualTo(1_800_000_000L);
    }
}
