package dev.pharos.journal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Journal and state-file metrics, in one place.
 *
 * <ul>
 *   <li>{@code pharos_journal_failing}: 1 while the journal cannot be written
 *   <li>{@code pharos_journal_unwritten_events}: events kept in memory for a later write
 *   <li>{@code pharos_journal_write_failures_total}, {@code pharos_journal_dropped_events_total}
 *   <li>{@code pharos_state_file_failing}: 1 while {@code state.json} is behind the state
 *   <li>{@code pharos_state_file_write_failures_total}
 * </ul>
 */
@Singleton
public class JournalMetrics {
    @Inject MeterRegistry registry;
    @Inject Journal journal;
    @Inject StateStore store;

    void register(@Observes StartupEvent event) {
        Gauge.builder("pharos_journal_failing", journal, j -> j.health().failing() ? 1 : 0)
                .description("1 while the journal cannot be written (events wait in memory)")
                .register(registry);
        Gauge.builder("pharos_journal_unwritten_events", journal, j -> j.health().unwritten())
                .description("Events kept in memory until the journal can be written")
                .register(registry);
        FunctionCounter.builder(
                        "pharos_journal_write_failures_total",
                        journal,
                        j -> j.health().writeFailures())
                .description("Journal writes that failed")
                .register(registry);
        FunctionCounter.builder(
                        "pharos_journal_dropped_events_total", journal, j -> j.health().dropped())
                .description("Events lost because the journal failed and the buffer was full")
                .register(registry);
        Gauge.builder("pharos_state_file_failing", store, s -> s.health().failing() ? 1 : 0)
                .description("1 while state.json cannot be written (the state is kept in memory)")
                .register(registry);
        FunctionCounter.builder(
                        "pharos_state_file_write_failures_total",
                        store,
                        s -> s.health().writeFailures())
                .description("Writes of state.json that failed")
                .register(registry);
    }
}
