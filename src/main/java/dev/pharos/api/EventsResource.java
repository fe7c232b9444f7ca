package dev.pharos.api;

import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The journal, paged. Newest first by default ({@code before} = the {@code next} cursor of the
 * previous page); with {@code after}, oldest first from that sequence number (for tailing).
 */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
    @Inject Journal journal;

    /** A page of events and the cursor to the next one (null at the end). */
    public record Page(List<JournalEvent> events, Long next) {}

    /** The numbers are taken as text: JAX-RS answers one it cannot convert with 404, not 400. */
    @GET
    public Page query(
            @QueryParam("region") String region,
            @QueryParam("type") List<String> types,
            @QueryParam("before") String before,
            @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        Long n = number("limit", limit, 1, 1000);
        return events(
                region,
                types,
                number("before", before, 0, Long.MAX_VALUE),
                number("after", after, 0, Long.MAX_VALUE),
                n == null ? null : n.intValue());
    }

    public Page events(String region, List<String> types, Long before, Long after, Integer limit) {
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw ProblemException.badRequest("'limit' must be between 1 and 1000");
        }
        if (before != null && after != null) {
            throw ProblemException.badRequest("give 'before' or 'after', not both");
        }
        Set<EventType> wanted = new HashSet<>();
        for (String t : types == null ? List.<String>of() : types) {
            for (String part : t.split(",")) {
                try {
                    wanted.add(EventType.parse(part));
                } catch (IllegalArgumentException e) {
                    throw ProblemException.badRequest("unknown event type '" + part + "'");
                }
            }
        }
        Predicate<JournalEvent> filter =
                e ->
                        (region == null || region.equals(e.region()))
                                && (wanted.isEmpty() || wanted.contains(e.type()));
        if (after != null) {
            List<JournalEvent> page = journal.since(filter, after, n);
            return new Page(page, page.size() < n ? null : page.get(page.size() - 1).seq());
        }
        List<JournalEvent> page = journal.page(filter, before == null ? Long.MAX_VALUE : before, n);
        return new Page(page, page.size() < n ? null : page.get(page.size() - 1).seq());
    }

    /** A whole number between min and max, or null when the parameter is absent. */
    static Long number(String name, String text, long min, long max) {
        if (text == null) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(
                    "'" + name + "' must be a whole number between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw ProblemException.badRequest(
                    "'" + name + "' must be between " + min + " and " + max);
        }
        return value;
    }
}
