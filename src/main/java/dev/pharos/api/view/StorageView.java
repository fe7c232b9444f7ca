package dev.pharos.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pharos.journal.Journal;
import dev.pharos.journal.StateStore;
import java.time.Instant;

/**
 * The data directory's files in the status: whether the journal and {@code state.json} are written.
 */
public record StorageView(File journal, File stateFile) {

    /**
     * @param unwritten events waiting in memory (journal only)
     * @param dropped events lost since start because the buffer was full (journal only)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record File(
            boolean failing,
            String error,
            Instant failingSince,
            Integer unwritten,
            Long dropped,
            long writeFailures) {}

    public static StorageView of(Journal.Health journal, StateStore.Health state) {
        return new StorageView(
                new File(
                        journal.failing(),
                        journal.error().orElse(null),
                        journal.failingSince().orElse(null),
                        journal.unwritten(),
                        journal.dropped(),
                        journal.writeFailures()),
                new File(
                        state.failing(),
                        state.error().orElse(null),
                        state.failingSince().orElse(null),
                        null,
                        null,
                        state.writeFailures()));
    }
}
