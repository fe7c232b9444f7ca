package dev.pharos.actuator.linode.emulator;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Linode API v4 endpoints Pharos uses, in memory, on one loopback address: Domains and their
 * records, NodeBalancers, their configs and nodes, with Linode's JSON shapes, pagination and error
 * envelope, and {@code Authorization: Bearer <token>}.
 *
 * <p>Every request it receives and every response it sends is checked against Linode's own API
 * description ({@link LinodeSpec}); a mismatch is recorded in {@link #violations()} (an invalid
 * request is also answered 400, as Linode would), and the tests assert there are none. Lists take
 * Linode's {@code X-Filter} header on the fields the description marks Filterable ({@link
 * XFilter}). Faults are injected with {@link #inject(Fault)}; a per-token rate limit shared by
 * every thread and instance with {@link #limitPerToken}. What a client must never do is flagged: a
 * request before the Retry-After its token was given ({@link #earlyRetries()}), a row created
 * beside an equal one ({@link #duplicates()}). Time (rate windows, Retry-After, late writes) comes
 * from a {@link Clock} tests may replace ({@link #clock(Clock)}).
 */
public final class LinodeEmulator implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.85.1";
    static final String STAMP = "2026-01-01T00:00:00Z";

    /**
     * One request as the emulator saw it; status 0 when it closed the connection instead; {@code
     * filter} its X-Filter header, null without one.
     */
    public record Call(
            String method,
            String path,
            String query,
            int status,
            boolean authorized,
            Instant at,
            String filter) {
        public boolean write() {
            return !"GET".equals(method);
        }
    }

    /**
     * A request sent before the Retry-After its token was given had passed: how early, and how long
     * after the 429 (a request already on its way when the 429 left arrives within moments).
     */
    public record EarlyRetry(
            String method, String path, Instant at, Duration early, Duration sinceTold) {}

    /**
     * A record row created through the API while an equal row (name, type, target) existed: when it
     * appeared and, once either row is deleted, when it went away.
     */
    public record DuplicateRow(
            String type,
            String name,
            String target,
            long first,
            long second,
            Instant appeared,
            Optional<Instant> removed) {}

    /** A write accepted without an answer, to be applied at {@code due}. */
    private record LateWrite(
            Instant due,
            String method,
            String path,
            Map<String, List<String>> query,
            String body) {}

    /** One stored record row. */
    public record Row(long id, String type, String name, String target, int ttl) {}

    private final LinodeSpec spec;
    private final String host;
    private final Vertx vertx;
    private final HttpServer server;

    private volatile Clock clock = Clock.systemUTC();
    private long nextId = 1000;
    private final Domains domains = new Domains(() -> ++nextId, () -> clock.instant());
    private final NodeBalancers nodeBalancers = new NodeBalancers(() -> ++nextId);
    private final List<Fault> faults = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final List<LateWrite> late = new ArrayList<>();
    private final TokenTraffic traffic;

    private LinodeEmulator(LinodeSpec spec, String token, String host) throws Exception {
        if (!host.startsWith("127.")) {
            throw new IllegalArgumentException("the emulator listens on loopback only: " + host);
        }
        this.spec = spec;
        this.traffic = new TokenTraffic(token);
        this.host = host;
        this.vertx = Vertx.vertx();
        this.server =
                vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(0))
                        .requestHandler(this::onRequest);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * Starts the emulator on {@link #DEFAULT_HOST}. {@code spec} null: nothing is validated (only
     * for a shared fixture whose tests check {@link LinodeSpec#require()} themselves).
     */
    public static LinodeEmulator start(LinodeSpec spec, String token) {
        return start(spec, token, DEFAULT_HOST);
    }

    public static LinodeEmulator start(LinodeSpec spec, String token, String host) {
        try {
            return new LinodeEmulator(spec, token, host);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Linode emulator on " + host, e);
        }
    }

    /** What the client calls {@code base-url}. */
    public String baseUrl() {
        return "http://" + host + ":" + server.actualPort() + "/v4";
    }

    @Override
    public void close() {
        vertx.close()
                .toCompletionStage()
                .toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    // --- test-facing state

    public synchronized long addDomain(String name) {
        return domains.addDomain(name);
    }

    /** Adds a row behind Pharos's back, as given (no rounding, no checks). */
    public synchronized long addRecord(
            long domainId, String type, String name, String target, int ttl) {
        return domains.addRecord(domainId, type, name, target, ttl);
    }

    /** Changes a row's TTL behind Pharos's back (someone in the DNS Manager). */
    public synchronized void setRecordTtl(long domainId, long recordId, int ttl) {
        domains.setRecordTtl(domainId, recordId, ttl);
    }

    /** Deletes a row behind Pharos's back. */
    public synchronized void deleteRecord(long domainId, long recordId) {
        domains.deleteRecord(domainId, recordId);
    }

    /** A Domain's rows as they are now (late writes that are due applied first). */
    public synchronized List<Row> rows(long domainId) {
        applyDue(clock.instant());
        return domains.rows(domainId);
    }

    /** For tests that want to map rows (e.g. to their targets). */
    public <T> List<T> rows(long domainId, Function<Row, T> f) {
        return rows(domainId).stream().map(f).toList();
    }

    public synchronized long addNodeBalancer(String label) {
        return nodeBalancers.addNodeBalancer(label);
    }

    public synchronized long addConfig(long nodeBalancerId, int port) {
        return nodeBalancers.addConfig(nodeBalancerId, port);
    }

    public synchronized long addNode(
            long nodeBalancerId, long configId, String label, String address, String mode) {
        return nodeBalancers.addNode(nodeBalancerId, configId, label, address, mode);
    }

    /** What the NodeBalancer's own checks would see of the node while it takes traffic. */
    public synchronized void setHealth(long nodeId, String status) {
        nodeBalancers.setHealth(nodeId, status);
    }

    public synchronized String mode(long configId, long nodeId) {
        return nodeBalancers.mode(configId, nodeId);
    }

    /**
     * The emulator's time: rate-limit windows, Retry-After, late writes. Tests that fake the
     * client's clock give the emulator the same one, so "too early" means the same to both.
     */
    public void clock(Clock clock) {
        this.clock = clock;
    }

    /** Accepts another token besides the first (several instances, or a NodeBalancer token). */
    public synchronized void allowToken(String token) {
        traffic.allow(token);
    }

    /** Answers 401 to this token from now on (revoked in the Cloud Manager). */
    public synchronized void revokeToken(String token) {
        traffic.revoke(token);
    }

    /**
     * Linode's rate limit, tight: at most {@code requests} per {@code window} per token, counted in
     * fixed windows across every thread and instance that sends the token; beyond it 429 with the
     * seconds until the window ends as Retry-After. 0 turns it off.
     */
    public synchronized void limitPerToken(int requests, Duration window) {
        traffic.limit(requests, window);
    }

    /**
     * A 429 storm: from now until {@code length} has passed, every request is answered 429 with the
     * seconds left as Retry-After (the account's limit spent by someone else).
     */
    public synchronized void storm(Duration length) {
        traffic.storm(clock.instant().plus(length));
    }

    /** Requests sent before the Retry-After given to their token had passed. */
    public synchronized List<EarlyRetry> earlyRetries() {
        return traffic.earlyRetries();
    }

    /** Rows created through the API beside an equal row (applied late writes included). */
    public synchronized List<DuplicateRow> duplicates() {
        applyDue(clock.instant());
        return domains.duplicates();
    }

    /** The rows a page shift deleted. */
    public synchronized List<Row> shiftedOut() {
        return domains.shiftedOut();
    }

    public synchronized void inject(Fault fault) {
        faults.add(fault);
    }

    public synchronized void clearFaults() {
        faults.clear();
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Call> calls(String pathPrefix) {
        return calls.stream().filter(c -> c.path().startsWith(pathPrefix)).toList();
    }

    public synchronized void clearCalls() {
        calls.clear();
    }

    /** Every request or response that did not match Linode's API description. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    // --- serving

    private void onRequest(HttpServerRequest req) {
        req.body()
                .onComplete(
                        ar -> {
                            String body =
                                    ar.succeeded()
                                            ? ar.result().toString(StandardCharsets.UTF_8)
                                            : "";
                            try {
                                serve(req, body);
                            } catch (RuntimeException e) {
                                synchronized (this) {
                                    violations.add("emulator failed on " + req.path() + ": " + e);
                                }
                                req.response().setStatusCode(500).end();
                            }
                        });
    }

    /** What the emulator decided about a request before answering it. */
    private record Admission(Instant now, Fault fault, boolean authorized, int retryAfter) {
        Fault.Kind kind() {
            return fault == null ? null : fault.kind();
        }
    }

    private void serve(HttpServerRequest req, String body) {
        String method = req.method().name();
        String path = req.path();
        Map<String, List<String>> query = new QueryStringDecoder(req.uri()).parameters();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        req.headers()
                .forEach(
                        h ->
                                headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>())
                                        .add(h.getValue()));
        boolean write = !"GET".equals(method);
        LinodeSpec.Exchange asked =
                new LinodeSpec.Exchange(method, path, query, headers, body, 0, Map.of(), null);
        List<String> invalid = spec == null ? List.of() : spec.checkRequest(asked);
        Admission a = admit(req.getHeader("Authorization"), method, path, invalid);
        Fault.Kind kind = a.kind();
        if (kind == Fault.Kind.DROP
                || (kind == Fault.Kind.WRITE_APPLIED_LATE && invalid.isEmpty() && a.authorized())) {
            if (kind == Fault.Kind.WRITE_APPLIED_LATE) {
                synchronized (this) {
                    late.add(
                            new LateWrite(
                                    a.now().plus(a.fault().delay()), method, path, query, body));
                }
            }
            record(req, path, 0, a.authorized());
            req.connection().close();
            return;
        }
        Reply reply = answer(a, method, path, query, body, invalid, req.getHeader("X-Filter"));
        if (kind == Fault.Kind.WRITE_APPLIED_THEN_DROPPED) {
            record(req, path, 0, a.authorized());
            req.connection().close();
            return;
        }
        String text = reply.body().toString();
        Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
        reply.headers().forEach((k, v) -> responseHeaders.put(k, List.of(v)));
        List<String> bad =
                spec == null
                        ? List.<String>of()
                        : spec.check(
                                new LinodeSpec.Exchange(
                                        method,
                                        path,
                                        query,
                                        headers,
                                        body,
                                        reply.status(),
                                        responseHeaders,
                                        text));
        synchronized (this) {
            violations.addAll(bad.stream().map(v -> method + " " + path + ": " + v).toList());
        }
        record(req, path, reply.status(), a.authorized());
        Runnable send =
                () -> {
                    var r = req.response().setStatusCode(reply.status());
                    r.putHeader("Content-Type", "application/json");
                    reply.headers().forEach(r::putHeader);
                    r.end(text);
                };
        if (kind == Fault.Kind.SLOW) {
            vertx.setTimer(Math.max(1, a.fault().delay().toMillis()), t -> send.run());
        } else {
            send.run();
        }
    }

    /**
     * Late writes that are due first; then the request's token: an early retry is flagged, the
     * fault (if any) taken, the per-token limit counted (a 429 tells the token when to come back).
     */
    private synchronized Admission admit(
            String auth, String method, String path, List<String> invalid) {
        Instant now = clock.instant();
        applyDue(now);
        violations.addAll(invalid.stream().map(v -> method + " " + path + ": " + v).toList());
        traffic.arrived(auth, method, path, now);
        Fault fault = takeFault(path, !"GET".equals(method));
        int retryAfter =
                fault != null && fault.kind() == Fault.Kind.RATE_LIMIT
                        ? fault.retryAfterSeconds()
                        : traffic.overLimit(auth, now).orElse(-1);
        if (retryAfter >= 0) {
            traffic.toldToWait(auth, now, retryAfter);
        }
        return new Admission(now, fault, traffic.authorized(auth), retryAfter);
    }

    private Reply answer(
            Admission a,
            String method,
            String path,
            Map<String, List<String>> query,
            String body,
            List<String> invalid,
            String xFilter) {
        Fault.Kind kind = a.kind();
        if (a.retryAfter() >= 0) {
            return tooMany(a.now(), a.retryAfter());
        }
        if (kind == Fault.Kind.SERVER_ERROR || kind == Fault.Kind.WRITE_FAILS) {
            return new Reply(500, Reply.error(null, "Please try again"));
        }
        if (!invalid.isEmpty()) {
            return new Reply(400, Reply.error(null, "Invalid request: " + invalid.get(0)));
        }
        XFilter filter = null;
        if (xFilter != null && "GET".equals(method)) {
            try {
                filter = XFilter.parse(xFilter, spec == null ? null : spec.filterable(path));
            } catch (XFilter.Refused e) {
                synchronized (this) {
                    violations.add(method + " " + path + ": X-Filter: " + e.getMessage());
                }
                return new Reply(400, Reply.error("X-Filter", e.getMessage()));
            }
        }
        if (!a.authorized()) {
            return new Reply(401, Reply.error(null, "Invalid Token"));
        }
        synchronized (this) {
            String[] s = path.split("/");
            if (kind == Fault.Kind.ROW_VANISHES && "domains".equals(s[2])) {
                domains.vanish(s);
            }
            Reply reply = route(method, path, query, body, filter);
            if (kind == Fault.Kind.PAGE_SHIFT && "domains".equals(s[2])) {
                domains.shift(s, a.fault().n());
            }
            return reply;
        }
    }

    private static Reply tooMany(Instant now, int retryAfter) {
        return new Reply(
                429,
                Reply.error(null, "Too many requests"),
                Map.of(
                        "Retry-After",
                        Integer.toString(retryAfter),
                        "X-RateLimit-Limit",
                        "400",
                        "X-RateLimit-Remaining",
                        "0",
                        "X-RateLimit-Reset",
                        Long.toString(now.getEpochSecond() + retryAfter)));
    }

    /** Applies the late writes that are due (before any request is served, or state is read). */
    private void applyDue(Instant now) {
        for (var it = late.iterator(); it.hasNext(); ) {
            LateWrite w = it.next();
            if (!now.isBefore(w.due())) {
                it.remove();
                route(w.method(), w.path(), w.query(), w.body(), null);
            }
        }
    }

    private synchronized void record(
            HttpServerRequest req, String path, int status, boolean authorized) {
        String uri = req.uri();
        int q = uri.indexOf('?');
        calls.add(
                new Call(
                        req.method().name(),
                        path,
                        q < 0 ? "" : uri.substring(q + 1),
                        status,
                        authorized,
                        clock.instant(),
                        req.getHeader("X-Filter")));
    }

    private Fault takeFault(String path, boolean write) {
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (!path.startsWith(f.pathPrefix())
                    || (f.forWrites() && !write)
                    || (f.forReads() && write)) {
                continue;
            }
            Fault next = f.next();
            if (next.count() <= 0) {
                faults.remove(i);
            } else {
                faults.set(i, next);
            }
            return f.skip() > 0 ? null : f;
        }
        return null;
    }

    private Reply route(
            String method,
            String path,
            Map<String, List<String>> query,
            String body,
            XFilter filter) {
        String[] s = path.split("/");
        if (s.length < 3 || !"v4".equals(s[1])) {
            return Reply.notFound();
        }
        try {
            if ("domains".equals(s[2])) {
                return domains.route(method, s, query, body, filter);
            }
            if ("nodebalancers".equals(s[2])) {
                return nodeBalancers.route(method, s, query, body, filter);
            }
        } catch (NumberFormatException e) {
            return Reply.notFound();
        }
        return Reply.notFound();
    }
}
