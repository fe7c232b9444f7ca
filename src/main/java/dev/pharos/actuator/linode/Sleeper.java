package dev.pharos.actuator.linode;

import java.time.Duration;

/** How the Linode client waits (backoff, Retry-After, an empty budget); tests fake it. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration d) throws InterruptedException;
}
