package dev.pharos.bench.chaos;

import dev.pharos.testing.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The three regions of the soak, each a real HAProxy at 127.0.6R.1:8080 in front of two backends
 * ({@code bench/failover/backend.py}) at 127.0.6R.11 and 127.0.6R.12, health-checked every 500 ms
 * (fall 2, rise 2) with {@code option redispatch}, so one dead backend costs no request. Every
 * process is a child of this JVM; {@link #close} and a shutdown hook kill them all.
 */
final class Regions implements AutoCloseable {
    static final int PORT = 8080;
    static final int COUNT = 3;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final Path dir;
    private final Path backendScript;
    private final String python;
    private final String haproxy;
    private final Map<String, Process> procs = new ConcurrentHashMap<>();
    private final Thread hook = new Thread(this::killAll, "chaos-regions-cleanup");

    Regions(Path dir, Path backendScript, String python, String haproxy) {
        this.dir = dir;
        this.backendScript = backendScript;
        this.python = python;
        this.haproxy = haproxy;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static String name(int r) {
        return "r" + r;
    }

    static String lb(int r) {
        return "127.0." + (60 + r) + ".1";
    }

    static String backend(int r, int n) {
        return "127.0." + (60 + r) + ".1" + n;
    }

    void startAll() {
        for (int r = 1; r <= COUNT; r++) {
            startBackend(r, 1);
            startBackend(r, 2);
            startLb(r);
        }
        for (int r = 1; r <= COUNT; r++) {
            awaitServing(r, Duration.ofSeconds(30));
        }
    }

    void startBackend(int r, int n) {
        String key = "r" + r + "-web" + n;
        start(
                key,
                List.of(python, backendScript.toString(), backend(r, n), "" + PORT, key),
                backend(r, n));
    }

    void killBackend(int r, int n) {
        kill("r" + r + "-web" + n);
    }

    boolean backendRunning(int r, int n) {
        Process p = procs.get("r" + r + "-web" + n);
        return p != null && p.isAlive();
    }

    void startLb(int r) {
        Path cfg = dir.resolve("haproxy-r" + r + ".cfg");
        try {
            Files.writeString(cfg, haproxyConfig(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start("r" + r + "-lb", List.of(haproxy, "-db", "-f", cfg.toString()), lb(r));
    }

    void killLb(int r) {
        kill("r" + r + "-lb");
    }

    void signalLb(int r, String signal) {
        Process p = procs.get("r" + r + "-lb");
        if (p != null) {
            Chaos.signal(p.pid(), signal);
        }
    }

    /** Until the region's load balancer answers 200 through a backend. */
    boolean awaitServing(int r, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (serving(r)) {
                return true;
            }
            Chaos.sleep(50);
        }
        return false;
    }

    static boolean serving(int r) {
        try {
            HttpResponse<Void> res =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://" + lb(r) + ":" + PORT + "/health"))
                                    .timeout(Duration.ofMillis(700))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            return res.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String haproxyConfig(int r) {
        return dev.pharos.bench.failover.Cdn.haproxyConfig(
                lb(r), PORT, backend(r, 1), backend(r, 2), "retries 2", "option redispatch");
    }

    private void start(String key, List<String> cmd, String address) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(key + ".log").toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        procs.put(key, p);
        try {
            Readiness.await(
                    key + " listening on " + address + ":" + PORT,
                    Duration.ofSeconds(15),
                    p,
                    () -> "",
                    () -> Readiness.acceptsTcp(address, PORT));
        } catch (RuntimeException e) {
            kill(key);
            throw e;
        }
    }

    private void kill(String key) {
        Process p = procs.remove(key);
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void killAll() {
        for (String key : new ArrayList<>(procs.keySet())) {
            kill(key);
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down
        }
    }
}
