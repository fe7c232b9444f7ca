package dev.pharos.actuator.linode;

import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How the Linode tests let the client wait: every wait moves a fake clock (the one the client's
 * budget, and the emulator, count with) and is remembered, so a test sees what was waited and
 * nothing sleeps.
 */
public final class FakeSleeper implements Sleeper {
    public final MutableClock clock;
    public final List<Duration> slept = new CopyOnWriteArrayList<>();

    public FakeSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration d) {
        slept.add(d);
        clock.advance(d);
    }
}
