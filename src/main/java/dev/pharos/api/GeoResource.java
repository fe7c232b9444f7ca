package dev.pharos.api;

import dev.pharos.reconcile.Pipeline;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code GET /api/v1/geo}: every geo record's answer per location and why; with {@code
 * ?client=ADDR} (an address, or a network as a resolver's Client Subnet carries it), what that
 * client gets and why. Read-only (the read token, if one is configured).
 */
@Path("/api/v1/geo")
@Produces(MediaType.APPLICATION_JSON)
public class GeoResource {
    @Inject Geo geo;
    @Inject Pipeline pipeline;

    @GET
    public Object geo(@QueryParam("client") String client, @Context UriInfo uri) {
        var s = pipeline.state();
        // "?client" and "?client=" ask about a client too (and are told that one is needed)
        boolean asked = client != null || uri.getQueryParameters().containsKey("client");
        return asked ? geo.client(client, s) : geo.view(s);
    }
}
