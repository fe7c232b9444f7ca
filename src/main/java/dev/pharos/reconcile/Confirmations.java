package dev.pharos.reconcile;

import dev.pharos.decision.Guard;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An operator's confirmation of removals the blast-radius guard holds back. Checked against what
 * the pipeline holds back now; recorded in the decision memory (persisted, journaled) on the
 * pipeline thread, followed at once by an evaluation that lets the removals through.
 */
@Singleton
public class Confirmations {
    private final Pipeline pipeline;
    private final Clock clock;

    @Inject
    public Confirmations(Pipeline pipeline, Clock clock) {
        this.pipeline = pipeline;
        this.clock = clock;
    }

    /**
     * @param regions the regions to confirm; empty or null: every one held back
     * @return the regions confirmed
     * @throws IllegalArgumentException nothing is held back, or a region named is not
     */
    public List<String> confirm(List<String> regions, String by) {
        List<String> blocked = new ArrayList<>();
        pipeline.state().desired().guards().stream()
                .filter(g -> g.guard() == Guard.BLAST_RADIUS)
                .forEach(g -> g.region().ifPresent(blocked::add));
        List<String> confirm = regions == null || regions.isEmpty() ? blocked : regions;
        List<String> unknown = confirm.stream().filter(r -> !blocked.contains(r)).toList();
        if (confirm.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    confirm.isEmpty()
                            ? "no removal is waiting for confirmation"
                            : "not waiting for confirmation: " + String.join(", ", unknown));
        }
        Instant now = clock.instant();
        pipeline.confirmed(confirm, by, now);
        return confirm;
    }
}
