package dev.pharos.actuator.dns;

import java.util.OptionalLong;

/**
 * Fencing of the one writer (a port; coordination implements it): while this instance is the
 * elected writer, the term it writes under. A provider that can make its server check it (RFC 2136:
 * a prerequisite on a record that holds the term) writes only under that term, so that a writer
 * that lost its lease without noticing (paused, cut off) has its late writes refused by the server
 * itself.
 */
public interface WriterFence {
    /** No coordination: nothing to fence (writes as before). */
    WriterFence NONE =
            new WriterFence() {
                @Override
                public OptionalLong fencingTerm() {
                    return OptionalLong.empty();
                }

                @Override
                public void superseded(long ours, long theirs) {}
            };

    /** The term to write under now: present while this instance is the writer and may write. */
    OptionalLong fencingTerm();

    /**
     * The server holds a later writer's term than ours: another instance has taken over, and this
     * one must stop writing at once.
     */
    void superseded(long ours, long theirs);
}
