package dev.pharos.journal;

import dev.pharos.testing.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A journal written by Pharos before its events were typed (main at 8753446): its pipeline,
 * reconcilers, drains, notifier and inbound alerts driven through a scripted outage, so it holds
 * every event type Pharos writes, each in every shape it has. How it was made: {@code git show
 * 4f9b8a9}.
 */
public final class JournalFixture {
    private JournalFixture() {}

    public static final Path FILE = Path.of("src/test/resources/journal/written-by-8753446.jsonl");

    /**
     * Lines of the event shapes added since that version (relay plans, relay intents), as the
     * version that added them writes them.
     */
    public static final Path ADDED =
            Path.of("src/test/resources/journal/added-since-8753446.jsonl");

    public static List<String> lines() {
        return read(FILE);
    }

    /** The written journal's lines, then those of the shapes added since. */
    public static List<String> allLines() {
        List<String> all = new ArrayList<>(read(FILE));
        all.addAll(read(ADDED));
        return all;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each line read as this version reads it. */
    public static List<JournalEvent> events() {
        return lines().stream().map(JournalFixture::read).toList();
    }

    @SuppressWarnings("unchecked")
    static JournalEvent read(String line) {
        try {
            return JournalEvent.read(Json.MAPPER.readValue(line, Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
