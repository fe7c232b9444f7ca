package dev.pharos.quorum;

import dev.pharos.observation.Health;
import java.time.Instant;

/**
 * The quorum's opinion of one target.
 *
 * @param since when {@link #health} took its current value
 * @param up fresh, counted votes saying UP
 * @param down fresh, counted votes saying DOWN
 * @param counted fresh votes from vantage points that do not abstain (UNKNOWN included)
 * @param quorum votes needed
 * @param reason e.g. "DOWN: 2 of 3 vantage points, fall=2"
 */
public record Verdict(
        String targetId,
        Health health,
        Instant since,
        int up,
        int down,
        int counted,
        int quorum,
        String reason) {

    public static Verdict unknown(String targetId, Instant now, int quorum) {
        return new Verdict(
                targetId, Health.UNKNOWN, now, 0, 0, 0, quorum, "UNKNOWN: no verdict yet");
    }
}
