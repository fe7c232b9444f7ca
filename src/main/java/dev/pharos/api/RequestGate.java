package dev.pharos.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.config.ApiLimits;
import dev.pharos.config.Topology;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps a few clients from taking the API from everyone else. A client that sends its headers and
 * then its body slowly (or never) used to hold a worker thread while the REST layer waited for the
 * body; about 200 such requests took every worker thread, and the whole API stopped answering.
 *
 * <ul>
 *   <li>Each client address may have {@code pharos.api.max-requests-per-client} requests open at
 *       once; one more gets 429 at once.
 *   <li>A request with a body and a token of any configured kind has its whole body read here, on
 *       the event loop (no thread waits for it), within {@code pharos.api.body-timeout}, else 408
 *       and the connection is closed; only then does the REST layer take it, reading the body from
 *       memory. A request without a valid token is not read: the token filter refuses it (401)
 *       before it would read the body. The peers' push is served on the event loop and its body
 *       read there by the REST layer, so no thread waits for it either ({@link #READ_BY_REST}).
 * </ul>
 *
 * Health and metrics are on the management interface (its own port and server), which this does not
 * cover: a busy API never fails liveness.
 */
@Singleton
public class RequestGate {
    /** Before {@link AlertBodyLimit}: a client over its limit is refused before anything else. */
    static final int LIMIT_ORDER = Integer.MIN_VALUE;

    /** After {@link AlertBodyLimit}, which refuses a too large alert by its length unread. */
    static final int BODY_ORDER = Integer.MIN_VALUE + 2;

    /**
     * Endpoints served on the event loop ({@code @NonBlocking}, the peers' push): the REST layer
     * reads their bodies itself, on the event loop, and would find one read here already gone.
     */
    static final Set<String> READ_BY_REST = Set.of("/api/v1/observations");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    void route(
            @Observes Router router,
            Topology topology,
            Tokens tokens,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        ApiLimits limits = topology.apiLimits();
        router.route().order(LIMIT_ORDER).handler(ctx -> limit(ctx, limits));
        router.route("/api/*")
                .order(BODY_ORDER)
                .handler(ctx -> readBody(ctx, limits, tokens, maxBody.asLongValue()));
    }

    /** Requests open now from this client address (for tests and metrics). */
    int open(String client) {
        return open.getOrDefault(client, 0);
    }

    private void limit(RoutingContext ctx, ApiLimits limits) {
        String client =
                ctx.request().remoteAddress() == null
                        ? "unknown"
                        : ctx.request().remoteAddress().hostAddress();
        int[] now = new int[1];
        open.compute(
                client,
                (k, v) -> {
                    now[0] = v == null ? 1 : v + 1;
                    return now[0];
                });
        AtomicBoolean released = new AtomicBoolean();
        Runnable release =
                () -> {
                    if (released.compareAndSet(false, true)) {
                        open.computeIfPresent(client, (k, v) -> v <= 1 ? null : v - 1);
                    }
                };
        if (now[0] > limits.maxRequestsPerClient()) {
            release.run();
            ctx.response().putHeader("Retry-After", "1");
            refuse(
                    ctx,
                    429,
                    "Too Many Requests",
                    "this client has "
                            + limits.maxRequestsPerClient()
                            + " requests open already (pharos.api.max-requests-per-client)",
                    false);
            return;
        }
        // called when the response ends, fails, or the connection closes before it
        ctx.addEndHandler(ar -> release.run());
        ctx.next();
    }

    private static void readBody(
            RoutingContext ctx, ApiLimits limits, Tokens tokens, long maxBody) {
        HttpServerRequest req = ctx.request();
        // HTTP/2 (h2c): the REST layer pauses the request, which fails once its body has ended
        // here; such requests are left to it as before
        if (!hasBody(req)
                || req.version() == HttpVersion.HTTP_2
                || READ_BY_REST.contains(req.path())
                || !tokens.matchesAny(bearer(req))) {
            ctx.next();
            return;
        }
        long declared = AlertBodyLimit.length(req.getHeader(HttpHeaders.CONTENT_LENGTH));
        if (declared > maxBody) {
            refuse(ctx, 413, "Payload Too Large", "at most " + maxBody + " bytes", true);
            return;
        }
        Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 1024);
        AtomicBoolean done = new AtomicBoolean();
        long timeoutMs = Math.max(1, limits.bodyTimeout().toMillis());
        long timer =
                ctx.vertx()
                        .setTimer(
                                timeoutMs,
                                id -> {
                                    if (done.compareAndSet(false, true)) {
                                        refuse(
                                                ctx,
                                                408,
                                                "Request Timeout",
                                                "the request body did not arrive within "
                                                        + limits.bodyTimeout()
                                                                .toString()
                                                                .substring(2)
                                                                .toLowerCase()
                                                        + " (pharos.api.body-timeout)",
                                                true);
                                    }
                                });
        req.handler(
                chunk -> {
                    if (done.get()) {
                        return;
                    }
                    if (body.length() + chunk.length() > maxBody) {
                        if (done.compareAndSet(false, true)) {
                            ctx.vertx().cancelTimer(timer);
                            refuse(
                                    ctx,
                                    413,
                                    "Payload Too Large",
                                    "at most " + maxBody + " bytes",
                                    true);
                        }
                        return;
                    }
                    body.appendBuffer(chunk);
                });
        req.exceptionHandler(
                e -> {
                    if (done.compareAndSet(false, true)) {
                        ctx.vertx().cancelTimer(timer);
                    }
                });
        req.endHandler(
                v -> {
                    if (done.compareAndSet(false, true)) {
                        ctx.vertx().cancelTimer(timer);
                        ctx.setBody(body);
                        ctx.next();
                    }
                });
        req.resume();
    }

    private static boolean hasBody(HttpServerRequest req) {
        long length = AlertBodyLimit.length(req.getHeader(HttpHeaders.CONTENT_LENGTH));
        String chunked = req.getHeader(HttpHeaders.TRANSFER_ENCODING);
        return length > 0 || (chunked != null && chunked.toLowerCase().contains("chunked"));
    }

    static String bearer(HttpServerRequest req) {
        String h = req.getHeader(HttpHeaders.AUTHORIZATION);
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
                ? h.substring(7).trim()
                : null;
    }

    /** Answers with problem JSON; {@code close} closes the connection once it is sent. */
    static void refuse(RoutingContext ctx, int status, String title, String detail, boolean close) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        String json;
        try {
            json =
                    JSON.writeValueAsString(
                            new Problem(
                                    "about:blank", title, status, detail, ctx.request().path()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response()
                .end(json)
                .onComplete(
                        ar -> {
                            if (close) {
                                ctx.request().connection().close();
                            }
                        });
    }
}
