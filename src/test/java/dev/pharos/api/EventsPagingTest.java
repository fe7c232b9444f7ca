package dev.pharos.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalFixture;
import dev.pharos.testing.Json;
import dev.pharos.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events API over a journal written by the previous version: paged newest first and tailed
 * oldest first, it returns every line as it is in the file, and filters by type and region.
 */
class EventsPagingTest {
    @TempDir Path dir;
    Journal journal;
    final EventsResource api = new EventsResource();
    List<JsonNode> lines;

    @BeforeEach
    void openTheWrittenJournal() throws Exception {
        Files.copy(JournalFixture.FILE, dir.resolve("journal.jsonl"));
        // a tail shorter than the file: older pages are read from disk
        journal = new Journal(dir, "vp1", MutableClock.atEpoch(), Json.MAPPER, 40);
        api.journal = journal;
        lines = new ArrayList<>();
        for (String line : JournalFixture.lines()) {
            lines.add(Json.MAPPER.readTree(line));
        }
    }

    @AfterEach
    void close() {
        journal.close();
    }

    private JsonNode json(EventsResource.Page page) {
        return Json.MAPPER.valueToTree(page);
    }

    @Test
    void openingItAddsNothing() {
        assertThat(journal.lastSeq()).isEqualTo(lines.size());
    }

    @Test
    void pagesNewestFirstReturnEveryLineAsWritten() throws Exception {
        List<JsonNode> got = new ArrayList<>();
        Long before = null;
        int pages = 0;
        do {
            JsonNode page = json(api.events(null, null, before, null, 25));
            page.get("events").forEach(got::add);
            before = page.get("next").isNull() ? null : page.get("next").asLong();
            pages++;
        } while (before != null);
        List<JsonNode> expected = new ArrayList<>(lines);
        Collections.reverse(expected);
        assertThat(roundTrip(got)).isEqualTo(expected);
        assertThat(pages).isEqualTo(lines.size() / 25 + 1);
    }

    @Test
    void tailingOldestFirstReturnsEveryLineAsWritten() throws Exception {
        List<JsonNode> got = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = json(api.events(null, null, null, after, 30));
            page.get("events").forEach(got::add);
            if (page.get("next").isNull()) {
                break;
            }
            after = page.get("next").asLong();
        }
        assertThat(roundTrip(got)).isEqualTo(lines);
    }

    @Test
    void filtersByTypeAndRegion() throws Exception {
        List<JsonNode> expected = new ArrayList<>();
        for (JsonNode l : lines) {
            String type = l.get("type").asText();
            if ((type.equals("APPLY_FAILED") || type.equals("GUARD_FIRED"))
                    && l.has("region")
                    && l.get("region").asText().equals("europe")) {
                expected.add(0, l);
            }
        }
        JsonNode page =
                json(api.events("europe", List.of("apply_failed,GUARD_FIRED"), null, null, 1000));
        List<JsonNode> got = new ArrayList<>();
        page.get("events").forEach(got::add);
        assertThat(expected).hasSizeGreaterThan(2);
        assertThat(roundTrip(got)).isEqualTo(expected);
    }

    /** Through text, as a client reads it (numbers compare by value, not by Java type). */
    private static List<JsonNode> roundTrip(List<JsonNode> nodes) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : nodes) {
            out.add(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(n)));
        }
        return out;
    }
}
