package dev.pharos.api;

import dev.pharos.api.console.Timeline;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/** The incident timeline: the journal's latest events grouped into incidents ({@link Timeline}). */
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentsResource {
    /** How many of the latest events the timeline is built from. */
    static final int EVENTS = 2000;

    @Inject Journal journal;

    @GET
    public List<Timeline.Incident> incidents(@QueryParam("limit") String limit) {
        Long n = EventsResource.number("limit", limit, 1, 200);
        return incidents(n == null ? 20 : n.intValue());
    }

    List<Timeline.Incident> incidents(int limit) {
        List<JournalEvent> newestFirst = journal.page(e -> true, Long.MAX_VALUE, EVENTS);
        List<JournalEvent> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return Timeline.of(oldestFirst, limit);
    }
}
