package dev.pharos.api;

import dev.pharos.observation.OwnVantage;
import dev.pharos.observation.PeerExchange;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.VantageSnapshot;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The observation exchange between vantage points: peers pull this instance's snapshot and push
 * theirs. Both need the peer token. Neither blocks, so they are served on the I/O thread.
 */
@Path("/api/v1/observations")
@RequiresToken(TokenKind.PEER)
@NonBlocking
public class ObservationResource {
    @Inject OwnVantage own;
    @Inject PeerObservations peers;
    @Inject PeerExchange exchange;

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
}
