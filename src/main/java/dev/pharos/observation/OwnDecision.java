package dev.pharos.observation;

import dev.pharos.domain.RecordSet;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What this instance decides now, as its snapshots tell its peers ({@link
 * VantageSnapshot#decided}): set by the pipeline after each evaluation, empty while it does not
 * decide (warming up, quorum lost). A holder, so that the snapshot (below the pipeline) can read it
 * without depending on it.
 */
@Singleton
public class OwnDecision {
    private record Held(List<RecordSet> records, Instant since) {}

    private volatile Held held;

    /**
     * The pipeline decides: these records, unchanged since {@code since} (the pipeline's clock).
     */
    public void deciding(List<RecordSet> records, Instant since) {
        held = new Held(List.copyOf(records), since);
    }

    /** The pipeline does not decide now. */
    public void notDeciding() {
        held = null;
    }

    /** The block for a snapshot made at {@code now}, if this instance decides. */
    public Optional<VantageSnapshot.Decided> decided(Instant now) {
        Held h = held;
        if (h == null) {
            return Optional.empty();
        }
        long age = Math.max(0, Duration.between(h.since(), now).toMillis());
        return Optional.of(new VantageSnapshot.Decided(age, h.records()));
    }
}
