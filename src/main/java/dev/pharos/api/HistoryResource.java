package dev.pharos.api;

import dev.pharos.api.view.HistoryView;
import dev.pharos.config.Topology;
import dev.pharos.observation.ProbeHistory;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The last hour of this vantage point's own probes, per target ({@link ProbeHistory}), for the
 * console's charts; {@code ?target=ID} for one target (404 problem JSON for a target not
 * configured).
 */
@Path("/api/v1/history")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {
    @Inject ProbeHistory history;
    @Inject Topology topology;

    @GET
    public HistoryView history(@QueryParam("target") String target) {
        String node = topology.nodeName();
        if (target == null) {
            return HistoryView.of(node, history.window());
        }
        return HistoryView.of(
                node,
                history.window(target)
                        .orElseThrow(() -> ProblemException.notFound("no target " + target)));
    }
}
