package dev.pharos.api;

import dev.pharos.observation.ObservationMetrics;
import dev.pharos.observation.PeerRefusal;
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

    @ServerRequestFilter
    public Response check(ContainerRequestContext ctx, ResourceInfo resource) {
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
        if (!tokens.configured(kind)) {
            return ProblemMapper.response(
                    403,
                    "Forbidden",
                    "this endpoint is disabled: "
                            + (kind == TokenKind.PEER
                                    ? "no peers are configured (pharos.peers[].token-sha256)"
                                    : "no "
                                            + kind.name().toLowerCase()
                                            + " token is configured (PHAROS_API_"
                                            + kind.name()
                                            + "_TOKEN)"),
                    ctx.getUriInfo());
        }
        String presented = bearer(ctx.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (!tokens.matches(kind, presented)) {
            if (kind == TokenKind.PEER) {
                refusals.get()
                        .refused(
                                ObservationMetrics.UNKNOWN_CALLER,
                                new PeerRefusal(
                                        PeerRefusal.Reason.TOKEN,
                                        presented == null
                                                ? "no bearer token"
                                                : "a bearer token that names no peer"));
            }
            Response r =
                    ProblemMapper.response(
                            401,
                            "Unauthorized",
                            presented == null ? "a bearer token is required" : "wrong bearer token",
                            ctx.getUriInfo());
            return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
        }
        return null;
    }

    /** The bearer token of an Authorization header, if it carries one. */
    static String bearer(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
    }
}
