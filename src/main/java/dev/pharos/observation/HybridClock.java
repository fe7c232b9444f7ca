package dev.pharos.observation;

import java.time.Clock;

/**
 * The hybrid logical clock of one vantage point (Kulkarni et al.): a new timestamp is after every
 * timestamp this vantage point made or saw, and equals the wall clock while the wall clock leads. A
 * peer whose clock runs ahead therefore cannot make this vantage point's later actions lose.
 */
final class HybridClock {
    private final String origin;
    private final Clock clock;
    private long wall;
    private int counter;

    HybridClock(String origin, Clock clock) {
        this.origin = origin;
        this.clock = clock;
    }

    /** A timestamp for a new local action. */
    synchronized Hlc tick() {
        long now = clock.millis();
        if (now > wall) {
            wall = now;
            counter = 0;
        } else {
            counter++;
        }
        return new Hlc(wall, counter, origin);
    }

    /** Takes in a timestamp seen (received or restored), so later local ones follow it. */
    synchronized void observe(Hlc seen) {
        long now = clock.millis();
        long w = Math.max(Math.max(wall, seen.wall()), now);
        if (w == wall && w == seen.wall()) {
            counter = Math.max(counter, seen.counter()) + 1;
        } else if (w == wall) {
            counter++;
        } else if (w == seen.wall()) {
            counter = seen.counter() + 1;
        } else {
            counter = 0;
        }
        wall = w;
    }
}
