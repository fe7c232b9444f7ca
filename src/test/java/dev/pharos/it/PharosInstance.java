package dev.pharos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.testing.TestTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Pharos process started from the built jar, bound to its own loopback address, with its log in
 * a file. Tests read it only through its HTTP API.
 */
public final class PharosInstance implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String address;
    private final int port;
    private final int managementPort;
    private final Path config;
    private final Path log;
    private final List<String> jvmOptions;
    private final Map<String, String> env;
    private Process process;

    /**
     * A process of this configuration: its YAML written to {@code dir/<node name>.yaml}, its log in
     * {@code dir/<node name>.log}, its environment (the secrets) the description's; it serves where
     * the description's {@code quarkus.http} says.
     */
    public PharosInstance(TestTopology topology, Path dir, List<String> jvmOptions) {
        this.name = topology.nodeName();
        this.address = topology.httpHost();
        this.port = topology.httpPort();
        this.managementPort = topology.managementPort();
        this.config = topology.writeYaml(dir.resolve(name + ".yaml"));
        this.log = dir.resolve(name + ".log");
        this.jvmOptions = List.copyOf(jvmOptions);
        this.env = Map.copyOf(topology.env());
    }

    /** The built Quarkus jar: failsafe passes its path; a bench run may too. */
    public static Path jar() {
        String p = System.getProperty("pharos.jar", "target/quarkus-app/quarkus-run.jar");
        Path jar = Path.of(p);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "no Pharos jar at " + jar.toAbsolutePath() + "; build it with ./mvnw package");
        }
        return jar;
    }

    /** A port free on this address right now. */
    public static int freePort(String address) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void start() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dquarkus.config.locations=" + config.toAbsolutePath());
        cmd.add("-jar");
        cmd.add(jar().toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process (as a crash would) and waits for it to go. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Sends the process a signal ({@code STOP}, {@code CONT}) with kill(1). */
    public void signal(String name) {
        try {
            Process k = new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).start();
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    public String name() {
        return name;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public String url() {
        return "http://" + address + ":" + port;
    }

    /** Health and metrics: the management interface, on its own port. */
    public String managementUrl() {
        return "http://" + address + ":" + managementPort;
    }

    public Path log() {
        return log;
    }

    /**
     * GET a path (under {@code /q/} from the management interface); the status and body, or null if
     * the instance does not answer.
     */
    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(
                                    URI.create(
                                            (path.startsWith("/q/") ? managementUrl() : url())
                                                    + path))
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * POST a JSON body with a bearer token; the response, or null if the instance does not answer.
     */
    public HttpResponse<String> post(String path, String bearer, String json) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(url() + path))
                            .timeout(Duration.ofSeconds(3))
                            .header("Authorization", "Bearer " + bearer)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public boolean live() {
        HttpResponse<String> r = get("/q/health/live");
        return r != null && r.statusCode() == 200;
    }

    public int status(String path) {
        HttpResponse<String> r = get(path);
        return r == null ? -1 : r.statusCode();
    }

    public JsonNode json(String path) {
        HttpResponse<String> r = get(path);
        if (r == null || r.statusCode() != 200) {
            throw new IllegalStateException(
                    name
                            + " "
                            + path
                            + ": "
                            + (r == null ? "no answer" : "HTTP " + r.statusCode()));
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode statusJson() {
        return json("/api/v1/status");
    }

    /** One target of a region, as GET /api/v1/regions/{name} shows it. */
    public JsonNode target(String region, String targetId) {
        for (JsonNode t : json("/api/v1/regions/" + region).get("targets")) {
            if (t.get("id").asText().equals(targetId)) {
                return t;
            }
        }
        throw new IllegalStateException(name + ": no target " + targetId);
    }

    public String verdict(String region, String targetId) {
        return target(region, targetId).get("verdict").get("health").asText();
    }

    public Instant verdictSince(String region, String targetId) {
        return Instant.parse(target(region, targetId).get("verdict").get("since").asText());
    }

    /** This instance's own vote on a target (the first vantage point listed). */
    public String ownVote(String region, String targetId) {
        return target(region, targetId).get("vantagePoints").get(0).get("vote").asText();
    }

    /**
     * Sends a request with a bearer token and a JSON body (or none); the status and body, or null
     * if the instance does not answer.
     */
    public HttpResponse<String> send(String method, String path, String token, String json) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url() + path))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + token)
                        .method(
                                method,
                                json == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public String metrics() {
        HttpResponse<String> r = get("/q/metrics");
        return r == null ? "" : r.body();
    }

    /**
     * The value of the first metric line that starts with {@code prefix} (a name and a space, or a
     * name with its labels), or NaN when there is none (or the instance does not answer).
     */
    public double metric(String prefix) {
        for (String line : metrics().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).trim());
            }
        }
        return Double.NaN;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
