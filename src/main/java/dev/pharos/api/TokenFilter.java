package dev.pharos.api;

import dev.pharos.observation.ObservationMetrics;
import dev.pharos.observation.PeerRefusal;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks bearer tokens. Mutating and peer endpoints carry {@link RequiresToken}; every other {@code
 * /api/v1} endpoint is read-only and needs the read token only if one is configured; an endpoint
 * marked {@link Public} (the public status view) needs none.
 */
public class TokenFilter {
    // resolved per request: REST filters are created at static init, before config mappings exist
    @Inject Instance<Tokens> tokensInstance;
    @Inject Instance<PeerRefusals> refusals;
    @Inject Instance<PeerIdentity> identity;

    @ServerRequestFilter
    public Response check(
            ContainerRequestContext ctx, ResourceInfo resource, HttpServerRequest request) {
        Tokens tokens = tokensInstance.get();
        Method m = resource.getResourceMethod();
        if (m == null
                || m.isAnnotationPresent(Public.class)
                || resource.getResourceClass().isAnnotationPresent(Public.class)) {
            return null;
        }
        RequiresToken needed = m.getAnnotation(RequiresToken.class);
        if (needed == null) {
            needed = resource.getResourceClass().getAnnotation(RequiresToken.class);
        }
        TokenKind kind = needed != null ? needed.value() : TokenKind.READ;
        if (needed == null && !tokens.configured(TokenKind.READ)) {
            return null;
        }
        if (kind == TokenKind.PEER) {
            return checkPeer(ctx, request);
        }
        if (!tokens.configured(kind)) {
            return ProblemMapper.response(
                    403,
                    "Forbidden",
                    "this endpoint is disabled: no "
                            + kind.name().toLowerCase()
                            + " token is configured (PHAROS_API_"
                            + kind.name()
                            + "_TOKEN)",
                    ctx.getUriInfo());
        }
        String presented = bearer(ctx.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (!tokens.matches(kind, presented)) {
            return unauthorized(
                    ctx, presented == null ? "a bearer token is required" : "wrong bearer token");
        }
        return null;
    }

    /**
     * A peer endpoint: the caller's verified certificate (with {@code pharos.api.peer-mtls}) or
     * bearer token must name a configured peer ({@link PeerIdentity}).
     */
    private Response checkPeer(ContainerRequestContext ctx, HttpServerRequest request) {
        PeerIdentity peers = identity.get();
        if (!peers.configured()) {
            return ProblemMapper.response(
                    403,
                    "Forbidden",
                    "this endpoint is disabled: no peers are configured"
                            + " (pharos.peers[].token-sha256 or pharos.api.peer-mtls)",
                    ctx.getUriInfo());
        }
        String authorization = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (peers.caller(request, authorization).isPresent()) {
            return null;
        }
        String presented = bearer(authorization);
        refusals.get()
                .refused(
                        ObservationMetrics.UNKNOWN_CALLER,
                        new PeerRefusal(
                                PeerRefusal.Reason.TOKEN,
                                presented != null
                                        ? "a bearer token that names no peer"
                                        : peers.mtls()
                                                ? "no bearer token or client certificate that"
                                                        + " names a peer"
                                                : "no bearer token"));
        return unauthorized(
                ctx,
                presented != null
                        ? "wrong bearer token"
                        : peers.mtls()
                                ? "a bearer token or a client certificate naming a peer is required"
                                : "a bearer token is required");
    }

    private static Response unauthorized(ContainerRequestContext ctx, String detail) {
        Response r = ProblemMapper.response(401, "Unauthorized", detail, ctx.getUriInfo());
        return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** The bearer token of an Authorization header, if it carries one. */
    static String bearer(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
    }
}
