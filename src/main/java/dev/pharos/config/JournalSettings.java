package dev.pharos.config;

/**
 * {@code pharos.node.journal}, validated.
 *
 * @param segmentBytes the size at which {@code journal.jsonl} is rotated
 * @param retainSegments how many rotated segments are kept
 * @param unwrittenLimit how many events that could not be written wait in memory
 */
public record JournalSettings(long segmentBytes, int retainSegments, int unwrittenLimit) {
    public static final JournalSettings DEFAULTS = new JournalSettings(64L << 20, 16, 10_000);
}
