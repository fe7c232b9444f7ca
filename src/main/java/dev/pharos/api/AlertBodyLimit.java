package dev.pharos.api;

import dev.pharos.alert.AlertMetrics;
import dev.pharos.config.Topology;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses an inbound alert payload by its declared length, before any of it is read, with problem
 * JSON: over {@code pharos.alerts.inbound.max-bytes} it is 413 (the HTTP layer's own 1 MiB limit
 * would answer with an empty 413), without a length 411 (Alertmanager always sends one, and a
 * stream without one could only be refused half-read). Without the alert token such a request gets
 * 401 (or 403 when inbound alerts are disabled), as every other would from the token filter.
 *
 * <p>A too large body from the token holder is read and thrown away, up to {@link #DRAIN_LIMIT}, so
 * that a client still sending it reads the answer instead of a reset connection; anything else
 * refused here is cut off.
 */
@Singleton
public class AlertBodyLimit {
    static final long DRAIN_LIMIT = 16L << 20;

    void route(@Observes Router router, Topology topology, AlertMetrics metrics, Tokens tokens) {
        long max = topology.alerts().inbound().maxBytes();
        router.post("/api/v1/alerts")
                .order(RequestGate.LIMIT_ORDER + 1)
                .handler(
                        ctx -> {
                            HttpServerRequest req = ctx.request();
                            long length = length(req.getHeader(HttpHeaders.CONTENT_LENGTH));
                            if (length >= 0 && length <= max) {
                                ctx.next(); // the token filter and the resource take it from here
                            } else if (!tokens.configured(TokenKind.ALERT)) {
                                refuse(
                                        ctx,
                                        403,
                                        "Forbidden",
                                        "this endpoint is disabled: no alert token is configured"
                                                + " (PHAROS_API_ALERT_TOKEN)",
                                        length);
                            } else if (!tokens.matches(TokenKind.ALERT, bearer(req))) {
                                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                                refuse(
                                        ctx,
                                        401,
                                        "Unauthorized",
                                        bearer(req) == null
                                                ? "a bearer token is required"
                                                : "wrong bearer token",
                                        length);
                            } else if (length < 0) {
                                metrics.refused("malformed");
                                refuse(
                                        ctx,
                                        411,
                                        "Length Required",
                                        "a Content-Length is required",
                                        -1);
                            } else {
                                metrics.refused("too_large");
                                refuse(
                                        ctx,
                                        413,
                                        "Payload Too Large",
                                        "the payload has "
                                                + length
                                                + " bytes; at most "
                                                + max
                                                + " are accepted"
                                                + " (pharos.alerts.inbound.max-bytes)",
                                        length);
                            }
                        });
    }

    private static String bearer(HttpServerRequest req) {
        return RequestGate.bearer(req);
    }

    private static void refuse(
            RoutingContext ctx, int status, String title, String detail, long length) {
        HttpServerRequest req = ctx.request();
        boolean drain = length > 0 && length <= DRAIN_LIMIT;
        if (drain) {
            AtomicLong seen = new AtomicLong();
            req.handler(
                    b -> {
                        if (seen.addAndGet(b.length()) > DRAIN_LIMIT) {
                            req.connection().close();
                        }
                    });
            req.resume();
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (!drain) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response()
                .end(
                        "{\"type\":\"about:blank\",\"title\":\""
                                + title
                                + "\",\"status\":"
                                + status
                                + ",\"detail\":\""
                                + detail
                                + "\",\"instance\":\"/api/v1/alerts\"}");
    }

    /** The declared length; -1 if none or unreadable. */
    static long length(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
