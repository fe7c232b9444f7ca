package dev.pharos.bench.failover;

import dev.pharos.testing.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CDN every system watches: three regions on loopback, each an HAProxy load balancer at
 * 127.0.R.1:8080 in front of two backends at 127.0.R.11 and 127.0.R.12 port 8080 (the addresses and
 * port the peers' templates assume). A backend is {@code bench/failover/backend.py}, a process of
 * its own so that it can be killed, stopped (SIGSTOP) or told to answer 503 (SIGUSR1, SIGUSR2 to
 * heal). The load balancers are configured like the local demo's: health checks every 500 ms, fall
 * 2, rise 2.
 */
public final class Cdn {
    static final int PORT = 8080;
    static final String HOST = "cdn.example.test";
    static final List<Integer> REGIONS = List.of(1, 2, 3);

    private final Procs procs;
    private final Path dir;
    private final Path backendScript;
    private final String python;
    private final String haproxy;

    Cdn(Procs procs, Path work, Path backendScript, String python, String haproxy) {
        this.procs = procs;
        this.dir = work.resolve("cdn");
        this.backendScript = backendScript;
        this.python = python;
        this.haproxy = haproxy;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String lb(int region) {
        return "127.0." + region + ".1";
    }

    static String backend(int region, int n) {
        return "127.0." + region + ".1" + n;
    }

    static String lbName(int region) {
        return "r" + region + "-lb";
    }

    static String backendName(int region, int n) {
        return "r" + region + "-web" + n;
    }

    /** Fails at once if anything else already listens where the CDN must. */
    static void checkAddressesFree() {
        for (int r : REGIONS) {
            for (String a : List.of(lb(r), backend(r, 1), backend(r, 2))) {
                if (Readiness.acceptsTcp(a, PORT)) {
                    throw new BenchException(
                            a
                                    + ":"
                                    + PORT
                                    + " is already in use (another demo or benchmark running?);"
                                    + " the peers' templates need the regions on port 8080");
                }
            }
        }
    }

    void start() {
        for (int r : REGIONS) {
            startBackends(r);
        }
        for (int r : REGIONS) {
            startLb(r);
        }
        for (int r : REGIONS) {
            awaitHealthy(r, Duration.ofSeconds(20));
        }
    }

    void startBackends(int region) {
        for (int n = 1; n <= 2; n++) {
            procs.start(
                    backendName(region, n),
                    List.of(
                            python,
                            backendScript.toString(),
                            backend(region, n),
                            String.valueOf(PORT),
                            backendName(region, n)));
        }
        for (int n = 1; n <= 2; n++) {
            awaitOwned(backendName(region, n), backend(region, n), Duration.ofSeconds(10));
        }
    }

    void killBackends(int region) {
        procs.kill(backendName(region, 1));
        procs.kill(backendName(region, 2));
    }

    /** Backend n answers 503 from now on (it stays up). */
    void failBackend(int region, int n) {
        procs.signal(backendName(region, n), "USR1");
    }

    void healBackend(int region, int n) {
        procs.signal(backendName(region, n), "USR2");
    }

    void startLb(int region) {
        Path cfg = dir.resolve("haproxy-r" + region + ".cfg");
        try {
            Files.writeString(cfg, haproxyConfig(region));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        procs.start(lbName(region), List.of(haproxy, "-db", "-f", cfg.toString()));
        awaitOwned(lbName(region), lb(region), Duration.ofSeconds(10));
    }

    /** The load balancer's process is gone: connections are refused. */
    void killLb(int region) {
        procs.kill(lbName(region));
    }

    /** SIGSTOP: the kernel still completes handshakes, nothing answers. */
    void hangLb(int region) {
        procs.signal(lbName(region), "STOP");
    }

    void resumeLb(int region) {
        procs.signal(lbName(region), "CONT");
    }

    private static String haproxyConfig(int r) {
        return haproxyConfig(lb(r), PORT, backend(r, 1), backend(r, 2));
    }

    /**
     * An HAProxy configuration for one region: HTTP on {@code lb}:{@code port} in front of two
     * backends on the same port, health-checked with {@code GET /health} every 500 ms (fall 2, rise
     * 2), round robin; {@code defaults} are added to the defaults section after {@code mode http}
     * (the soak's regions add {@code retries 2} and {@code option redispatch}).
     */
    public static String haproxyConfig(
            String lb, int port, String web1, String web2, String... defaults) {
        StringBuilder extra = new StringBuilder();
        for (String d : defaults) {
            extra.append("    ").append(d).append('\n');
        }
        return """
                global
                    maxconn 2000
                defaults
                    mode http
                %5$s    timeout connect 500ms
                    timeout client 5s
                    timeout server 5s
                frontend cdn
                    bind %1$s:%2$d
                    default_backend web
                backend web
                    balance roundrobin
                    option httpchk GET /health
                    default-server inter 500ms fall 2 rise 2
                    server web1 %3$s:%2$d check
                    server web2 %4$s:%2$d check
                """
                .formatted(lb, port, web1, web2, extra);
    }

    /** Until the region's load balancer answers 200 through a backend. */
    void awaitHealthy(int region, Duration within) {
        URI health = URI.create("http://" + lb(region) + ":" + PORT + "/health");
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (Http.answers200(health, Duration.ofSeconds(1))) {
                return;
            }
            Sleep.ms(100);
        }
        throw new BenchException("region " + region + " did not answer 200 within " + within);
    }

    /**
     * Until our process is the one listening on {@code address}:8080. Other programs on this
     * machine (a demo, another benchmark) may use the same loopback addresses; a backend that could
     * not bind while someone else's answers would make every number wrong.
     */
    private void awaitOwned(String name, String address, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (!procs.alive(name)) {
                throw new BenchException(
                        name
                                + " exited at start ("
                                + procs.log(name)
                                + "): is another program listening on "
                                + address
                                + ":"
                                + PORT
                                + " (a demo, another benchmark)?");
            }
            if (List.of(procs.pid(name)).equals(listeners().get(address))) {
                return;
            }
            Sleep.ms(20);
        }
        throw new BenchException(name + " is not listening on " + address + ":" + PORT);
    }

    /** Stops the run if any address of the CDN is served by a process that is not ours. */
    void verifyOwnership() {
        Map<String, List<Long>> l = listeners();
        for (int r : REGIONS) {
            Map<String, String> names = new LinkedHashMap<>();
            names.put(lbName(r), lb(r));
            names.put(backendName(r, 1), backend(r, 1));
            names.put(backendName(r, 2), backend(r, 2));
            for (Map.Entry<String, String> e : names.entrySet()) {
                List<Long> pids = l.getOrDefault(e.getValue(), List.of());
                boolean ours =
                        procs.alive(e.getKey()) && pids.equals(List.of(procs.pid(e.getKey())));
                if (!ours) {
                    throw new BenchException(
                            e.getValue()
                                    + ":"
                                    + PORT
                                    + " should be served by "
                                    + e.getKey()
                                    + (procs.alive(e.getKey())
                                            ? " (pid " + procs.pid(e.getKey()) + ")"
                                            : " (not running)")
                                    + " but is served by pids "
                                    + pids
                                    + ": another program uses the CDN's addresses; stopping, the"
                                    + " numbers would be wrong");
                }
            }
        }
    }

    /** Listening sockets on port 8080: address -> PIDs, from {@code ss}. */
    static Map<String, List<Long>> listeners() {
        Map<String, List<Long>> out = new HashMap<>();
        try {
            Process p =
                    new ProcessBuilder("ss", "-Hltnp", "sport = :" + PORT)
                            .redirectErrorStream(true)
                            .start();
            String text = new String(p.getInputStream().readAllBytes());
            p.waitFor(5, TimeUnit.SECONDS);
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].endsWith(":" + PORT)) {
                    continue;
                }
                String address = f[3].substring(0, f[3].length() - (":" + PORT).length());
                Matcher m = PID.matcher(line);
                List<Long> pids = new ArrayList<>();
                while (m.find()) {
                    pids.add(Long.parseLong(m.group(1)));
                }
                out.computeIfAbsent(address, k -> new ArrayList<>()).addAll(pids);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
        out.replaceAll((k, v) -> v.stream().distinct().sorted().toList());
        return out;
    }

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");
}
