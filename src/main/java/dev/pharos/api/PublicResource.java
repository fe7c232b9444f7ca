package dev.pharos.api;

import dev.pharos.api.console.Timeline;
import dev.pharos.config.Topology;
import dev.pharos.decision.RegionState;
import dev.pharos.decision.RegionStatus;
import dev.pharos.reconcile.Pipeline;
import dev.pharos.reconcile.PipelineState;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The public status view: each region up or down and the recent incidents, for the users of the
 * CDN. No token, and nothing internal: no address, no reason, no vantage point, no journal message;
 * only region names, a status word and times. The page is {@link PublicPage}.
 */
@Path("/api/v1/public")
@Public
public class PublicResource {
    @Inject Topology topology;
    @Inject Pipeline pipeline;
    @Inject IncidentsResource incidents;
    @Inject Clock clock;

    /** GET /api/v1/public. */
    public record PublicView(
            Instant updatedAt, List<PublicRegion> regions, List<PublicIncident> incidents) {}

    /**
     * @param status {@code up}, {@code degraded}, {@code down}, {@code maintenance} or {@code
     *     unknown}
     */
    public record PublicRegion(String name, String status) {}

    /** A region's incident: the worst status it reached, from when to when (null: ongoing). */
    public record PublicIncident(String region, String status, Instant started, Instant ended) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public PublicView view() {
        PipelineState s = pipeline.state();
        List<PublicRegion> regions = new ArrayList<>();
        for (String name : topology.regions().keySet()) {
            RegionStatus r = s.regions().get(name);
            regions.add(new PublicRegion(name, word(r == null ? RegionState.UNKNOWN : r.state())));
        }
        List<PublicIncident> out = new ArrayList<>();
        for (Timeline.Incident i : incidents.incidents(50)) {
            if (i.region() != null && out.size() < 10) {
                out.add(
                        new PublicIncident(
                                i.region(),
                                i.worst() == null
                                        ? "maintenance"
                                        : word(RegionState.valueOf(i.worst())),
                                i.started(),
                                i.ended()));
            }
        }
        return new PublicView(clock.instant(), regions, out);
    }

    static String word(RegionState s) {
        return switch (s) {
            case HEALTHY -> "up";
            case DEGRADED, RELAYING -> "degraded";
            case DEAD -> "down";
            case DRAINED -> "maintenance";
            case UNKNOWN -> "unknown";
        };
    }
}
