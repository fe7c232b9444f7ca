package dev.pharos.api;

import dev.pharos.api.view.ActionView;
import dev.pharos.config.Topology;
import dev.pharos.observation.OperatorAction;
import dev.pharos.reconcile.Overrides;
import dev.pharos.reconcile.Pipeline;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Operator actions every vantage point shares: the list with who holds each, and maintenance
 * windows (a drain with a start and an end, announced in the status until it starts).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ActionResource {
    /** A window starts at most this far ahead. */
    static final Duration MAX_AHEAD = Duration.ofDays(365);

    @Inject Topology topology;
    @Inject Overrides overrides;
    @Inject Pipeline pipeline;
    @Inject Actions actions;
    @Inject Clock clock;

    /**
     * @param start when the window starts (ISO-8601 instant)
     * @param end when it ends, or
     * @param duration how long it lasts
     */
    public record MaintenanceRequest(String reason, String start, String end, String duration) {}

    @GET
    @Path("/actions")
    public List<ActionView> all() {
        return actions.all();
    }

    @GET
    @Path("/maintenance")
    public List<ActionView> maintenance() {
        return actions.maintenance();
    }

    @POST
    @Path("/regions/{name}/maintenance")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresToken(TokenKind.ADMIN)
    public ActionView schedule(@PathParam("name") String name, MaintenanceRequest body) {
        DrainResource.known(topology, name);
        String reason = DrainResource.reason(body == null ? null : body.reason());
        if (body.start() == null) {
            throw ProblemException.badRequest("'start' is required");
        }
        Instant now = clock.instant();
        Instant start = DrainResource.instant("start", body.start());
        Instant end;
        if (body.end() != null && body.duration() != null) {
            throw ProblemException.badRequest("give 'end' or 'duration', not both");
        } else if (body.end() != null) {
            end = DrainResource.instant("end", body.end());
        } else if (body.duration() != null) {
            end = start.plus(DrainResource.parseDuration(body.duration()));
        } else {
            throw ProblemException.badRequest("'end' or 'duration' is required");
        }
        if (!end.isAfter(start)) {
            throw ProblemException.badRequest("'end' is not after 'start'");
        }
        if (!end.isAfter(now)) {
            throw ProblemException.badRequest("'end' is in the past");
        }
        if (end.isAfter(start.plus(DrainResource.MAX))) {
            throw ProblemException.badRequest("a maintenance window lasts at most 30 days");
        }
        if (start.isAfter(now.plus(MAX_AHEAD))) {
            throw ProblemException.badRequest("a maintenance window starts within a year");
        }
        byte[] id = new byte[6];
        ThreadLocalRandom.current().nextBytes(id);
        OperatorAction a =
                overrides.schedule(HexFormat.of().formatHex(id), name, reason, start, end, "admin");
        pipeline.trigger();
        return actions.view(a);
    }

    @DELETE
    @Path("/maintenance/{id}")
    @RequiresToken(TokenKind.ADMIN)
    public ActionView cancel(@PathParam("id") String id) {
        OperatorAction a =
                overrides
                        .cancel(id, "admin")
                        .orElseThrow(
                                () ->
                                        ProblemException.notFound(
                                                "no maintenance window '"
                                                        + id
                                                        + "' in force or announced"));
        pipeline.trigger();
        return actions.view(a);
    }
}
