package dev.pharos.api;

import dev.pharos.config.Topology;
import dev.pharos.decision.Drain;
import dev.pharos.reconcile.Overrides;
import dev.pharos.reconcile.Pipeline;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Operator drains: take a region out as if it were dead, with a reason and an expiry, on every
 * vantage point (pushed to the peers at once, and carried in the observation exchange).
 */
@Path("/api/v1/regions/{name}/drain")
@Produces(MediaType.APPLICATION_JSON)
@RequiresToken(TokenKind.ADMIN)
public class DrainResource {
    static final Duration MAX = Duration.ofDays(30);

    @Inject Topology topology;
    @Inject Overrides overrides;
    @Inject Pipeline pipeline;
    @Inject Clock clock;

    /**
     * @param until when the drain ends (ISO-8601 instant), or
     * @param duration how long it lasts (ISO-8601 "PT2H" or "2h", "30m")
     */
    public record DrainRequest(String reason, String until, String duration) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Drain drain(@PathParam("name") String name, DrainRequest body) {
        known(name);
        String reason = reason(body == null ? null : body.reason());
        Instant now = clock.instant();
        Instant until;
        if (body.until() != null && body.duration() != null) {
            throw ProblemException.badRequest("give 'until' or 'duration', not both");
        } else if (body.until() != null) {
            until = instant("until", body.until());
        } else if (body.duration() != null) {
            Duration d = parseDuration(body.duration());
            if (d.compareTo(MAX) > 0) {
                // checked before adding: a huge duration would overflow the instant
                throw ProblemException.badRequest(
                        "'duration' is longer than the limit: a drain lasts at most 30 days (P30D): "
                                + body.duration());
            }
            until = now.plus(d);
        } else {
            throw ProblemException.badRequest(
                    "'until' or 'duration' is required: a drain always expires");
        }
        if (!until.isAfter(now)) {
            throw ProblemException.badRequest("'until' is in the past");
        }
        if (until.isAfter(now.plus(MAX))) {
            throw ProblemException.badRequest(
                    "'until' is beyond the limit: a drain lasts at most 30 days (P30D)");
        }
        Drain d = overrides.drain(name, reason, until, "admin");
        pipeline.trigger();
        return d;
    }

    @DELETE
    public Drain undrain(@PathParam("name") String name) {
        known(name);
        Drain d =
                overrides
                        .undrain(name, "admin")
                        .orElseThrow(
                                () ->
                                        ProblemException.notFound(
                                                "region " + name + " is not drained"));
        pipeline.trigger();
        return d;
    }

    private void known(String name) {
        known(topology, name);
    }

    static void known(Topology topology, String name) {
        if (topology.region(name).isEmpty()) {
            throw ProblemException.notFound("no region named '" + name + "'");
        }
    }

    /** A required reason, stripped. */
    static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw ProblemException.badRequest("'reason' is required");
        }
        if (reason.length() > 500) {
            throw ProblemException.badRequest("'reason' is longer than 500 characters");
        }
        return reason.strip();
    }

    static Instant instant(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(
                    "'" + field + "' is not an ISO-8601 instant: " + text);
        }
    }

    static Duration parseDuration(String text) {
        String t = text.trim();
        try {
            if (t.toUpperCase().startsWith("P")) {
                return positive(Duration.parse(t), text);
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return positive(
                    switch (t.charAt(t.length() - 1)) {
                        case 's' -> Duration.ofSeconds(n);
                        case 'm' -> Duration.ofMinutes(n);
                        case 'h' -> Duration.ofHours(n);
                        case 'd' -> Duration.ofDays(n);
                        default -> throw new NumberFormatException();
                    },
                    text);
        } catch (RuntimeException e) {
            if (e instanceof ProblemException p) {
                throw p;
            }
            throw ProblemException.badRequest(
                    "'duration' is not a duration like 30m, 2h or PT2H: " + text);
        }
    }

    private static Duration positive(Duration d, String text) {
        if (d.isNegative() || d.isZero()) {
            throw ProblemException.badRequest("'duration' must be positive: " + text);
        }
        return d;
    }
}
