package dev.pharos.api;

import dev.pharos.alert.InboundAlerts;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Alertmanager's webhook ({@code POST /api/v1/alerts}, alert token). The body is read raw and
 * checked whole by {@link InboundAlerts}; a refused payload changes nothing and gets problem JSON.
 * Blocking: accepted alerts are journaled (fsync) before the answer.
 */
@Path("/api/v1/alerts")
@RequiresToken(TokenKind.ALERT)
public class AlertResource {
    @Inject InboundAlerts inbound;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public InboundAlerts.Result receive(byte[] body) {
        try {
            return inbound.receive(body);
        } catch (InboundAlerts.Refused r) {
            throw new ProblemException(r.status(), r.title(), r.getMessage());
        }
    }
}
