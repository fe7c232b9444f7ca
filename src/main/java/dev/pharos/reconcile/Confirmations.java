package dev.pharos.reconcile;

import dev.pharos.decision.Guard;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An operator's confirmation of removals the blast-radius guard holds back. Checked against what
 * the pipeline holds back now; shared with every vantage point; recorded in the decision memory
 * (persisted, journaled) on the pipeline thread, followed at once by an evaluation that lets the
 * removals through.
 */
@Singleton
public class Confirmations {
    private final Pipeline pipeline;
    private final Overrides overrides;

    @Inject
    public Confirmations(Pipeline pipeline, Overrides overrides) {
        this.pipeline = pipeline;
        this.overrides = overrides;
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
        // every vantage point records it too, each in its own decision memory
        Instant at = overrides.confirmed(confirm, by);
        pipeline.confirmed(confirm, by, at);
        return confirm;
    }
}
