package dev.pharos.api;

import dev.pharos.alert.AlertmanagerPayload;
import dev.pharos.alert.Reprobes;
import dev.pharos.observation.ObservationMetrics;
import dev.pharos.observation.OwnVantage;
import dev.pharos.observation.PeerExchange;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.PeerRefusal;
import dev.pharos.observation.PeerRefusal.Reason;
import dev.pharos.observation.ReprobeOutcome;
import dev.pharos.observation.ReprobeRequest;
import dev.pharos.observation.VantageSnapshot;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The observation exchange between vantage points: peers pull this instance's snapshot and push
 * theirs, and ask it to re-probe targets at once (an inbound alert wants fast confirmation). All
 * need a peer's credential, a token or (mutual TLS) a certificate, which names that peer ({@link
 * PeerIdentity}): a peer speaks only for itself, so a snapshot or re-probe request in another
 * vantage point's name is refused (403), as is a snapshot whose numbers no genuine peer could send
 * (400); each refusal is counted and journaled ({@link PeerRefusals}). Pull and push never block,
 * so they are served on the I/O thread.
 */
@Path("/api/v1/observations")
@RequiresToken(TokenKind.PEER)
@NonBlocking
public class ObservationResource {
    @Inject OwnVantage own;
    @Inject PeerObservations peers;
    @Inject PeerExchange exchange;
    @Inject Reprobes reprobes;
    @Inject PeerIdentity identity;
    @Inject PeerRefusals refusals;
    @Inject ObservationMetrics metrics;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public VantageSnapshot get() {
        return own.snapshot();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response push(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request,
            VantageSnapshot snapshot) {
        String caller = caller(request, authorization);
        if (snapshot == null) {
            throw refuse(caller, new PeerRefusal(Reason.INVALID, "a snapshot is required"));
        }
        if (snapshot.vantage() == null || snapshot.vantage().isBlank()) {
            // malformed (400), not in another's name (403)
            throw refuse(caller, new PeerRefusal(Reason.INVALID, "vantage is required"));
        }
        if (!caller.equals(snapshot.vantage())) {
            throw refuse(
                    caller,
                    new PeerRefusal(
                            Reason.VANTAGE,
                            "a snapshot of vantage point '"
                                    + AlertmanagerPayload.shorten(
                                            String.valueOf(snapshot.vantage()))
                                    + "' sent with "
                                    + caller
                                    + "'s credential"));
        }
        peers.check(snapshot)
                .ifPresent(
                        r -> {
                            throw refuse(caller, r);
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
    public Map<String, List<String>> reprobe(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest http,
            ReprobeRequest request) {
        String caller = caller(http, authorization);
        if (request == null || request.targets() == null) {
            metrics.reprobe(ReprobeOutcome.REFUSED);
            throw refuse(caller, new PeerRefusal(Reason.INVALID, "targets are required"));
        }
        if (request.by() != null && !caller.equals(request.by())) {
            metrics.reprobe(ReprobeOutcome.REFUSED);
            throw refuse(
                    caller,
                    new PeerRefusal(
                            Reason.VANTAGE,
                            "a re-probe request by '"
                                    + AlertmanagerPayload.shorten(request.by())
                                    + "' sent with "
                                    + caller
                                    + "'s credential"));
        }
        return Map.of(
                "reprobed",
                reprobes.forPeer(new ReprobeRequest(caller, request.targets(), request.reason())));
    }

    /**
     * The vantage point the request's certificate or token names; the token filter let only those
     * through.
     */
    private String caller(HttpServerRequest request, String authorization) {
        return identity.caller(request, authorization)
                .orElseThrow(() -> new ProblemException(401, "Unauthorized", "wrong bearer token"));
    }

    private ProblemException refuse(String caller, PeerRefusal r) {
        refusals.refused(caller, r);
        return r.reason() == Reason.VANTAGE
                ? new ProblemException(403, "Forbidden", r.detail())
                : ProblemException.badRequest(r.detail());
    }
}
