package dev.pharos.observation;

import dev.pharos.probe.ContentCheck;
import dev.pharos.probe.ContentFetch;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one content check says, read: the time of the last sync from the trace file, the manifest's
 * identity, whether a sync is running, or what could not be read.
 *
 * @param manifest the manifest's identity: SHA-256, Content-Length and strong ETag (a weak or
 *     missing ETag is left out); two regions serve the same manifest when these are equal
 * @param error why a configured file could not be read, if one could not
 */
public record ContentReading(
        Instant at,
        Optional<Instant> syncedAt,
        Optional<String> manifest,
        Optional<String> version,
        boolean syncing,
        Optional<String> error) {

    private static final Pattern EPOCH = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");

    public static ContentReading of(ContentCheck c) {
        StringBuilder errors = new StringBuilder();
        boolean syncing = c.syncing().map(ContentFetch::found).orElse(false);
        c.syncing()
                .filter(f -> !f.result().success())
                .ifPresent(f -> add(errors, "marker " + f.path() + ": " + f.result().detail()));
        Optional<Instant> synced = Optional.empty();
        if (c.trace().isPresent()) {
            ContentFetch f = c.trace().get();
            if (!f.result().success()) {
                add(errors, "trace " + f.path() + ": " + f.result().detail());
            } else if (!f.found()) {
                add(errors, "trace " + f.path() + ": status " + f.status().orElse(0));
            } else {
                synced = parseTime(f.text().orElse(""));
                if (synced.isEmpty()) {
                    add(
                            errors,
                            "trace "
                                    + f.path()
                                    + ": the body is neither epoch seconds nor an RFC 3339 time");
                }
            }
        }
        Optional<String> manifest = Optional.empty();
        Optional<String> version = Optional.empty();
        if (c.manifest().isPresent()) {
            ContentFetch f = c.manifest().get();
            if (!f.result().success()) {
                add(errors, "manifest " + f.path() + ": " + f.result().detail());
            } else if (!f.found()) {
                add(errors, "manifest " + f.path() + ": status " + f.status().orElse(0));
            } else {
                String sha = f.sha256().orElseThrow();
                Optional<String> strong = f.etag().filter(e -> !e.startsWith("W/"));
                manifest =
                        Optional.of(
                                "sha256:"
                                        + sha
                                        + " length:"
                                        + f.contentLength().map(String::valueOf).orElse("-")
                                        + " etag:"
                                        + strong.orElse("-"));
                version = Optional.of(sha.substring(0, 12));
            }
        }
        return new ContentReading(
                c.at(),
                synced,
                manifest,
                version,
                syncing,
                errors.isEmpty() ? Optional.empty() : Optional.of(errors.toString()));
    }

    private static void add(StringBuilder errors, String what) {
        if (!errors.isEmpty()) {
            errors.append("; ");
        }
        errors.append(what);
    }

    /**
     * The time a trace file holds: its first line (or first word) as epoch seconds (fractions
     * allowed) or an RFC 3339 date-time ({@code 2026-12-02T15:04:05Z}, any offset).
     */
    public static Optional<Instant> parseTime(String body) {
        String text = body.strip();
        int nl = text.indexOf('\n');
        String line = (nl < 0 ? text : text.substring(0, nl)).strip();
        String first = line.split("\\s+", 2)[0];
        for (String candidate : new String[] {line, first}) {
            if (EPOCH.matcher(candidate).matches()) {
                BigDecimal d = new BigDecimal(candidate);
                return Optional.of(
                        Instant.ofEpochSecond(
                                d.longValue(),
                                d.remainder(BigDecimal.ONE).movePointRight(9).longValue()));
            }
            try {
                return Optional.of(OffsetDateTime.parse(candidate.replace(' ', 'T')).toInstant());
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }
}
