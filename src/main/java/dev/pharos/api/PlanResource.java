package dev.pharos.api;

import dev.pharos.actuator.lb.linode.NodeBalancerWatch;
import dev.pharos.api.view.PlanView;
import dev.pharos.config.Topology;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.Holds;
import dev.pharos.reconcile.Actuators;
import dev.pharos.reconcile.Confirmations;
import dev.pharos.reconcile.Freeze;
import dev.pharos.reconcile.Overrides;
import dev.pharos.reconcile.Pipeline;
import dev.pharos.reconcile.ReconcileLoop;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** What would be applied now, and the operator's confirmations. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {
    @Inject Topology topology;
    @Inject Pipeline pipeline;
    @Inject Actuators actuators;
    @Inject Confirmations confirmations;
    @Inject NodeBalancerWatch nodeBalancers;
    @Inject Overrides overrides;

    /** Optional body of a confirmation: which held-back removals to confirm (default: all). */
    public record ConfirmRequest(List<String> regions) {}

    @GET
    @Path("/plan")
    public PlanView plan() {
        var s = pipeline.state();
        DesiredState d = s.desired();
        return new PlanView(
                topology.policy().dryRun(),
                s.frozen().map(Freeze::text).orElse(null),
                List.copyOf(d.records().values()),
                List.copyOf(d.relays().values()),
                d.guards(),
                Holds.of(topology, s.memory(), s.regions(), s.evaluatedAt()),
                d.allRegionsDown(),
                actuators.dns().stream().map(ReconcileLoop::status).toList());
    }

    @POST
    @Path("/plan/confirm")
    @RequiresToken(TokenKind.ADMIN)
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> confirm(ConfirmRequest body) {
        try {
            List<String> confirmed =
                    confirmations.confirm(body == null ? null : body.regions(), "admin");
            return Map.of("confirmed", confirmed);
        } catch (IllegalArgumentException e) {
            throw ProblemException.conflict(e.getMessage());
        }
    }

    @POST
    @Path("/actuators/{name}/resume")
    @RequiresToken(TokenKind.ADMIN)
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> resume(@PathParam("name") String name) {
        // the NodeBalancer watch stops on the same errors as the updaters of its provider and
        // resumes with them (it may be the only one stopped, on an instance that does not write)
        boolean watch =
                nodeBalancers.name().equals(name) && nodeBalancers.stoppedBecause().isPresent();
        if (!actuators.known(name) && !watch) {
            throw ProblemException.notFound("no actuator named '" + name + "'");
        }
        boolean resumed = actuators.resume(name);
        if (watch) {
            resumed = nodeBalancers.resume() || resumed;
        }
        // every vantage point resumes it too, if it stopped there before now: the one that
        // writes may be another than the one asked
        overrides.resumed(name, "admin");
        return Map.of("resumed", name, "here", resumed);
    }
}
