package dev.pharos.observation;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * A peer's observation endpoint. Package-private: everything else goes through {@link PeerClient},
 * which adds the timeout, the source address, TLS and the error mapping.
 */
@RegisterRestClient
@Path("/api/v1/observations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface PeerApi {

    @GET
    Uni<VantageSnapshot> pull(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @POST
    Uni<Void> push(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, VantageSnapshot snapshot);

    @POST
    @Path("/reprobe")
    Uni<Void> reprobe(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, ReprobeRequest request);
}
