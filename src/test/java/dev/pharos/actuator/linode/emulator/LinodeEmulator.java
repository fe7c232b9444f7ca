package dev.pharos.actuator.linode.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pharos.config.IpLiterals;
import dev.pharos.testing.Json;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Linode API v4 endpoints Pharos uses, in memory, on one loopback address: Domains and their
 * records, NodeBalancers, their configs and nodes, with Linode's JSON shapes, pagination and error
 * envelope, and {@code Authorization: Bearer <token>}.
 *
 * <p>Every request it receives and every response it sends is checked against Linode's own API
 * description ({@link LinodeSpec}); a mismatch is recorded in {@link #violations()} (an invalid
 * request is also answered 400, as Linode would), and the tests assert there are none. Faults are
 * injected with {@link #inject(Fault)}.
 */
public final class LinodeEmulator implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.85.1";
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String STAMP = "2026-01-01T00:00:00Z";
    // Linode keeps these TTLs and rounds any other value to the nearest of them
    private static final int[] TTLS = {
        30, 120, 300, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 345600, 604800, 1209600,
        2419200
    };

    /** One request as the emulator saw it; status 0 when it closed the connection instead. */
    public record Call(String method, String path, String query, int status, boolean authorized) {
        public boolean write() {
            return !"GET".equals(method);
        }
    }

    /** One stored record row. */
    public record Row(long id, String type, String name, String target, int ttl) {}

    private record Reply(int status, JsonNode body, Map<String, String> headers) {
        Reply(int status, JsonNode body) {
            this(status, body, Map.of());
        }
    }

    private final LinodeSpec spec;
    private final String token;
    private final String host;
    private final Vertx vertx;
    private final HttpServer server;

    private long nextId = 1000;
    private final Map<Long, ObjectNode> domains = new TreeMap<>();
    private final Map<Long, TreeMap<Long, ObjectNode>> records = new HashMap<>();
    private final Map<Long, ObjectNode> nodeBalancers = new TreeMap<>();
    private final Map<Long, TreeMap<Long, ObjectNode>> configs = new HashMap<>();
    private final Map<Long, TreeMap<Long, ObjectNode>> nodes = new HashMap<>();
    private final Map<Long, String> health = new HashMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();

    private LinodeEmulator(LinodeSpec spec, String token, String host) throws Exception {
        if (!host.startsWith("127.")) {
            throw new IllegalArgumentException("the emulator listens on loopback only: " + host);
        }
        this.spec = spec;
        this.token = token;
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
        long id = ++nextId;
        ObjectNode d = JSON.createObjectNode();
        d.put("id", id);
        d.put("domain", name);
        d.put("type", "master");
        d.put("status", "active");
        d.put("soa_email", "hostmaster@" + name);
        d.put("ttl_sec", 0);
        d.put("refresh_sec", 0);
        d.put("retry_sec", 0);
        d.put("expire_sec", 0);
        d.putArray("axfr_ips");
        d.putArray("master_ips");
        d.putArray("tags");
        domains.put(id, d);
        records.put(id, new TreeMap<>());
        return id;
    }

    /** Adds a row behind Pharos's back, as given (no rounding, no checks). */
    public synchronized long addRecord(
            long domainId, String type, String name, String target, int ttl) {
        ObjectNode r = record(++nextId, type, name, target, ttl);
        records.get(domainId).put(r.get("id").asLong(), r);
        return r.get("id").asLong();
    }

    /** Changes a row's TTL behind Pharos's back (someone in the DNS Manager). */
    public synchronized void setRecordTtl(long domainId, long recordId, int ttl) {
        records.get(domainId).get(recordId).put("ttl_sec", ttl);
    }

    public synchronized List<Row> rows(long domainId) {
        List<Row> out = new ArrayList<>();
        records.get(domainId)
                .values()
                .forEach(
                        r ->
                                out.add(
                                        new Row(
                                                r.get("id").asLong(),
                                                r.get("type").asText(),
                                                r.get("name").asText(),
                                                r.get("target").asText(),
                                                r.get("ttl_sec").asInt())));
        return out;
    }

    public synchronized long addNodeBalancer(String label) {
        long id = ++nextId;
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("label", label);
        n.put("region", "eu-west");
        n.put("hostname", "nb-" + id + ".ip.linodeusercontent.com");
        n.put("ipv4", "127.0.86.1");
        n.put("client_conn_throttle", 0);
        n.put("created", STAMP);
        n.put("updated", STAMP);
        n.putArray("tags");
        ObjectNode t = n.putObject("transfer");
        t.putNull("in");
        t.putNull("out");
        t.putNull("total");
        nodeBalancers.put(id, n);
        configs.put(id, new TreeMap<>());
        return id;
    }

    public synchronized long addConfig(long nodeBalancerId, int port) {
        long id = ++nextId;
        ObjectNode c = JSON.createObjectNode();
        c.put("id", id);
        c.put("port", port);
        c.put("protocol", "http");
        c.put("algorithm", "roundrobin");
        c.put("stickiness", "none");
        c.put("check", "http");
        c.put("check_interval", 31);
        c.put("check_timeout", 30);
        c.put("check_attempts", 3);
        c.put("check_path", "/");
        c.put("check_passive", true);
        c.put("cipher_suite", "recommended");
        c.put("proxy_protocol", "none");
        c.put("nodebalancer_id", nodeBalancerId);
        configs.get(nodeBalancerId).put(id, c);
        nodes.put(id, new TreeMap<>());
        return id;
    }

    public synchronized long addNode(
            long nodeBalancerId, long configId, String label, String address, String mode) {
        long id = ++nextId;
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("label", label);
        n.put("address", address);
        n.put("mode", mode);
        n.put("weight", 100);
        n.put("config_id", configId);
        n.put("nodebalancer_id", nodeBalancerId);
        nodes.get(configId).put(id, n);
        health.put(id, "UP");
        return id;
    }

    /** What the NodeBalancer's own checks would see of the node while it takes traffic. */
    public synchronized void setHealth(long nodeId, String status) {
        health.put(nodeId, status);
    }

    public synchronized String mode(long configId, long nodeId) {
        return nodes.get(configId).get(nodeId).get("mode").asText();
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
        boolean authorized = ("Bearer " + token).equals(req.getHeader("Authorization"));
        boolean write = !"GET".equals(method);
        LinodeSpec.Exchange asked =
                new LinodeSpec.Exchange(method, path, query, headers, body, 0, Map.of(), null);
        List<String> invalid = spec == null ? List.of() : spec.checkRequest(asked);
        Fault fault;
        synchronized (this) {
            violations.addAll(invalid.stream().map(v -> method + " " + path + ": " + v).toList());
            fault = takeFault(path, write);
        }
        Fault.Kind kind = fault == null ? null : fault.kind();
        if (kind == Fault.Kind.DROP) {
            record(method, req.uri(), path, 0, authorized);
            req.connection().close();
            return;
        }
        Reply reply;
        if (kind == Fault.Kind.RATE_LIMIT) {
            long reset = System.currentTimeMillis() / 1000 + fault.retryAfterSeconds();
            reply =
                    new Reply(
                            429,
                            error(null, "Too many requests"),
                            Map.of(
                                    "Retry-After",
                                    Integer.toString(fault.retryAfterSeconds()),
                                    "X-RateLimit-Limit",
                                    "400",
                                    "X-RateLimit-Remaining",
                                    "0",
                                    "X-RateLimit-Reset",
                                    Long.toString(reset)));
        } else if (kind == Fault.Kind.SERVER_ERROR || kind == Fault.Kind.WRITE_FAILS) {
            reply = new Reply(500, error(null, "Please try again"));
        } else if (!invalid.isEmpty()) {
            reply = new Reply(400, error(null, "Invalid request: " + invalid.get(0)));
        } else if (!authorized) {
            reply = new Reply(401, error(null, "Invalid Token"));
        } else {
            synchronized (this) {
                reply = route(method, path, query, body);
            }
        }
        if (kind == Fault.Kind.WRITE_APPLIED_THEN_DROPPED) {
            record(method, req.uri(), path, 0, authorized);
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
        record(method, req.uri(), path, reply.status(), authorized);
        Runnable send =
                () -> {
                    var r = req.response().setStatusCode(reply.status());
                    r.putHeader("Content-Type", "application/json");
                    reply.headers().forEach(r::putHeader);
                    r.end(text);
                };
        if (kind == Fault.Kind.SLOW) {
            vertx.setTimer(Math.max(1, fault.delay().toMillis()), t -> send.run());
        } else {
            send.run();
        }
    }

    private synchronized void record(
            String method, String uri, String path, int status, boolean authorized) {
        int q = uri.indexOf('?');
        calls.add(new Call(method, path, q < 0 ? "" : uri.substring(q + 1), status, authorized));
    }

    private Fault takeFault(String path, boolean write) {
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (!path.startsWith(f.pathPrefix()) || (f.forWrites() && !write)) {
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

    private Reply route(String method, String path, Map<String, List<String>> query, String body) {
        String[] s = path.split("/");
        if (s.length < 3 || !"v4".equals(s[1])) {
            return notFound();
        }
        try {
            if ("domains".equals(s[2])) {
                return domains(method, s, query, body);
            }
            if ("nodebalancers".equals(s[2])) {
                return nodeBalancers(method, s, query, body);
            }
        } catch (NumberFormatException e) {
            return notFound();
        }
        return notFound();
    }

    private Reply domains(String method, String[] s, Map<String, List<String>> query, String body) {
        if (s.length == 3 && "GET".equals(method)) {
            return page(query, new ArrayList<>(domains.values()));
        }
        if (s.length < 5 || !"records".equals(s[4])) {
            return notFound();
        }
        long domainId = Long.parseLong(s[3]);
        ObjectNode domain = domains.get(domainId);
        if (domain == null) {
            return notFound();
        }
        TreeMap<Long, ObjectNode> rows = records.get(domainId);
        if (s.length == 5) {
            return switch (method) {
                case "GET" -> page(query, new ArrayList<>(rows.values()));
                case "POST" -> createRecord(domain, rows, parse(body));
                default -> notFound();
            };
        }
        if (s.length != 6) {
            return notFound();
        }
        ObjectNode row = rows.get(Long.parseLong(s[5]));
        if (row == null) {
            return notFound();
        }
        switch (method) {
            case "GET":
                return new Reply(200, row);
            case "DELETE":
                rows.remove(row.get("id").asLong());
                return new Reply(200, JSON.createObjectNode());
            case "PUT":
                JsonNode b = parse(body);
                if (b.has("ttl_sec")) {
                    row.put("ttl_sec", round(b.get("ttl_sec").asInt()));
                }
                if (b.has("target")) {
                    row.put("target", b.get("target").asText());
                }
                if (b.has("name")) {
                    row.put("name", relative(domain, b.get("name").asText()));
                }
                row.put("updated", STAMP);
                return new Reply(200, row);
            default:
                return notFound();
        }
    }

    private Reply createRecord(ObjectNode domain, TreeMap<Long, ObjectNode> rows, JsonNode b) {
        String type = b.path("type").asText("");
        String target = b.path("target").asText("");
        if (type.isEmpty()) {
            return new Reply(400, error("type", "type is required"));
        }
        if ("A".equals(type) && IpLiterals.parseV4(target).isEmpty()) {
            return new Reply(400, error("target", "Must be a valid IPv4 address"));
        }
        if ("AAAA".equals(type) && IpLiterals.parseV6(target).isEmpty()) {
            return new Reply(400, error("target", "Must be a valid IPv6 address"));
        }
        String name = relative(domain, b.path("name").asText(""));
        ObjectNode r = record(++nextId, type, name, target, round(b.path("ttl_sec").asInt(0)));
        rows.put(r.get("id").asLong(), r);
        return new Reply(200, r);
    }

    private Reply nodeBalancers(
            String method, String[] s, Map<String, List<String>> query, String body) {
        if (s.length < 4) {
            return notFound();
        }
        long nb = Long.parseLong(s[3]);
        ObjectNode balancer = nodeBalancers.get(nb);
        if (balancer == null) {
            return notFound();
        }
        if (s.length == 4) {
            return "GET".equals(method) ? new Reply(200, balancer) : notFound();
        }
        if (!"configs".equals(s[4])) {
            return notFound();
        }
        if (s.length == 5) {
            if (!"GET".equals(method)) {
                return notFound();
            }
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode c : configs.get(nb).values()) {
                out.add(withStatus(c));
            }
            return page(query, out);
        }
        long configId = Long.parseLong(s[5]);
        if (!configs.get(nb).containsKey(configId) || s.length < 7 || !"nodes".equals(s[6])) {
            return notFound();
        }
        TreeMap<Long, ObjectNode> ns = nodes.get(configId);
        if (s.length == 7) {
            if (!"GET".equals(method)) {
                return notFound();
            }
            return page(query, ns.values().stream().map(this::withStatus).toList());
        }
        ObjectNode node = ns.get(Long.parseLong(s[7]));
        if (node == null || s.length != 8) {
            return notFound();
        }
        if ("GET".equals(method)) {
            return new Reply(200, withStatus(node));
        }
        if ("PUT".equals(method)) {
            JsonNode b = parse(body);
            if (b.has("mode")) {
                node.put("mode", b.get("mode").asText());
            }
            return new Reply(200, withStatus(node));
        }
        return notFound();
    }

    /** A node's status: DOWN while rejected (Linode stops checking it), else its health. */
    private ObjectNode withStatus(ObjectNode n) {
        if (n.has("address")) {
            ObjectNode out = n.deepCopy();
            out.put(
                    "status",
                    "reject".equals(n.get("mode").asText())
                            ? "DOWN"
                            : health.getOrDefault(n.get("id").asLong(), "unknown"));
            return out;
        }
        ObjectNode out = n.deepCopy();
        int up = 0;
        int down = 0;
        for (ObjectNode node : nodes.get(n.get("id").asLong()).values()) {
            if ("UP".equals(withStatus(node).get("status").asText())) {
                up++;
            } else {
                down++;
            }
        }
        ObjectNode st = out.putObject("nodes_status");
        st.put("up", up);
        st.put("down", down);
        return out;
    }

    private Reply page(Map<String, List<String>> query, List<? extends JsonNode> all) {
        int page = intParam(query, "page", 1);
        int size = intParam(query, "page_size", 100);
        if (page < 1) {
            return new Reply(400, error("page", "Must be at least 1"));
        }
        if (size < 25 || size > 500) {
            return new Reply(400, error("page_size", "Must be between 25 and 500"));
        }
        int pages = Math.max(1, (all.size() + size - 1) / size);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode data = out.putArray("data");
        for (int i = (page - 1) * size; i < Math.min(all.size(), page * size); i++) {
            data.add(all.get(i));
        }
        out.put("page", page);
        out.put("pages", pages);
        out.put("results", all.size());
        return new Reply(200, out);
    }

    private static int intParam(Map<String, List<String>> query, String name, int dflt) {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.get(0));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ObjectNode record(long id, String type, String name, String target, int ttl) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", id);
        r.put("type", type);
        r.put("name", name);
        r.put("target", target);
        r.put("ttl_sec", ttl);
        r.put("priority", 0);
        r.put("weight", 0);
        r.put("port", 0);
        r.putNull("service");
        r.putNull("protocol");
        r.putNull("tag");
        r.put("created", STAMP);
        r.put("updated", STAMP);
        return r;
    }

    /**
     * A record name as Linode stores it: relative to the Domain. Linode shows the apex as "", which
     * its API description forbids (minLength 1), so the emulator keeps the apex as the Domain's own
     * name and the client accepts both.
     */
    private static String relative(ObjectNode domain, String name) {
        String d = domain.get("domain").asText().toLowerCase(Locale.ROOT);
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || lower.equals(d)) {
            return d;
        }
        return lower.endsWith("." + d) ? n.substring(0, n.length() - d.length() - 1) : n;
    }

    static int round(int ttl) {
        if (ttl == 0) {
            return 0;
        }
        int best = TTLS[0];
        for (int t : TTLS) {
            if (Math.abs(t - ttl) < Math.abs(best - ttl)) {
                best = t;
            }
        }
        return best;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static ObjectNode error(String field, String reason) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode e = out.putArray("errors").addObject();
        e.put("reason", reason);
        if (field != null) {
            e.put("field", field);
        }
        return out;
    }

    private static Reply notFound() {
        return new Reply(404, error(null, "Not found"));
    }

    /** For tests that want to map rows (e.g. to their targets). */
    public <T> List<T> rows(long domainId, Function<Row, T> f) {
        return rows(domainId).stream().map(f).toList();
    }
}
