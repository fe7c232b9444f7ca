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

    @GET
    public Page events(
            @QueryParam("region") String region,
            @QueryParam("type") List<String> types,
            @QueryParam("before") Long before,
            @QueryParam("after") Long after,
            @QueryParam("limit") Integer limit) {
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
}
