package dev.pharos.api;

import dev.pharos.alert.Reprobes;
import dev.pharos.observation.OwnVantage;
import dev.pharos.observation.PeerExchange;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.ReprobeRequest;
import dev.pharos.observation.VantageSnapshot;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The observation exchange between vantage points: peers pull this instance's snapshot and push
 * theirs, and ask it to re-probe targets at once (an inbound alert wants fast confirmation). All
 * need the peer token. Pull and push never block, so they are served on the I/O thread.
 */
@Path("/api/v1/observations")
@RequiresToken(TokenKind.PEER)
@NonBlocking
public class ObservationResource {
    @Inject OwnVantage own;
    @Inject PeerObservations peers;
    @Inject PeerExchange exchange;
    @Inject Reprobes reprobes;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public VantageSnapshot get() {
        return own.snapshot();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response push(VantageSnapshot snapshot) {
        if (snapshot == null) {
            throw ProblemException.badRequest("a snapshot is required");
        }
        peers.problem(snapshot)
                .ifPresent(
                        p -> {
                            throw ProblemException.badRequest(p);
                        });
        exchange.receive(snapshot, PeerObservations.Via.PUSH);
        return Response.noContent().build();
    }

    /** Probes the targets this instance knows at once; journaled, hence on a worker thread. */
    @POST
    @Path("/reprobe")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Map<String, List<String>> reprobe(ReprobeRequest request) {
        if (request == null || request.targets() == null) {
            throw ProblemException.badRequest("targets are required");
        }
        return Map.of("reprobed", reprobes.forPeer(request));
    }
}
