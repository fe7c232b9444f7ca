package dev.pharos.api.view;

import dev.pharos.quorum.Verdict;
import java.time.Instant;

/** A verdict with its evidence counts and reason. */
public record VerdictView(
        String health, Instant since, int up, int down, int counted, int quorum, String reason) {
    public static VerdictView of(Verdict v) {
        return new VerdictView(
                v.health().name(),
                v.since(),
                v.up(),
                v.down(),
                v.counted(),
                v.quorum(),
                v.reason());
    }
}
