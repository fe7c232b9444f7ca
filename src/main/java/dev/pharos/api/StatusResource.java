package dev.pharos.api;

import dev.pharos.api.view.RegionView;
import dev.pharos.api.view.StatusView;
import dev.pharos.api.view.StorageView;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import dev.pharos.decision.Holds;
import dev.pharos.health.ReadinessState;
import dev.pharos.journal.Journal;
import dev.pharos.journal.StateStore;
import dev.pharos.observation.OwnVantage;
import dev.pharos.observation.PeerObservations;
import dev.pharos.reconcile.Freeze;
import dev.pharos.reconcile.Pipeline;
import dev.pharos.reconcile.PipelineState;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Read-only views: the whole status, and one region in detail. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    @Inject Topology topology;
    @Inject Pipeline pipeline;
    @Inject Views views;
    @Inject ReadinessState readiness;
    @Inject PeerObservations peers;
    @Inject OwnVantage own;
    @Inject Clock clock;
    @Inject Records records;
    @Inject Actions actions;
    @Inject Journal journal;
    @Inject StateStore store;
    @Inject Geo geo;

    @GET
    @Path("/status")
    public StatusView status() {
        PipelineState s = pipeline.state();
        List<RegionView> regions = new ArrayList<>();
        for (Region r : topology.regions().values()) {
            regions.add(views.region(r, s, false));
        }
        List<String> unmet = readiness.unmet(s);
        return new StatusView(
                topology.nodeName(),
                own.startedAt(),
                s.round(),
                unmet.isEmpty(),
                unmet,
                new StatusView.Warmup(
                        s.warm(),
                        s.roundsWithQuorum(),
                        topology.quorum().warmupRounds(),
                        s.catchUp().state().label(),
                        s.catchUp().text()),
                s.quorum(),
                s.frozen().map(Freeze::text).orElse(null),
                peers.status(clock.instant()),
                regions,
                records.views(s.desired()),
                s.desired().guards(),
                Holds.of(topology, s.memory(), s.regions(), s.evaluatedAt()),
                actions.maintenance(),
                actions.all(),
                StorageView.of(journal.health(), store.health()),
                geo.table(s));
    }

    @GET
    @Path("/regions/{name}")
    public RegionView region(@PathParam("name") String name) {
        Region r =
                topology.region(name)
                        .orElseThrow(
                                () ->
                                        ProblemException.notFound(
                                                "no region named '"
                                                        + name
                                                        + "'; known: "
                                                        + String.join(
                                                                ", ",
                                                                topology.regions().keySet())));
        return views.region(r, pipeline.state(), true);
    }
}
