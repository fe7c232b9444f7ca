package dev.pharos.bench.failover;

import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Pharos side: three sets of three vantage points, each set a cluster of its own watching the
 * same CDN, and the BIND server one set updates.
 *
 * <ul>
 *   <li>{@code pharos}: the defaults (interval 1 s, fall 2, rise 3, recheck 200 ms, probe timeout
 *       700 ms, quorum 2 of 3, votes pushed on change), embedded DNS on each vantage point
 *       (127.0.9.1-3);
 *   <li>{@code pharos-timeout1s}: the same with the probe timeout at 999 ms, the nearest Pharos
 *       allows to tuned PowerDNS's 1 s (a probe timeout must be shorter than the interval), so that
 *       the hanging-server case compares like with like (127.0.7.1-3);
 *   <li>{@code pharos-bind}: the defaults with {@code dns.provider: rfc2136}: vp1 alone actuates,
 *       sending TSIG-signed dynamic updates to a real BIND, which is what is queried (127.0.8.1-3).
 * </ul>
 *
 * Every set runs with {@code policy.hold-down: 0s} so that the time to re-add a revived region is
 * the detection of its recovery (rise 3), comparable with the peers, which have no hold-down. The
 * default hold-down of 60 s would add exactly 60 s to that column, on purpose: a region must stay
 * up for a minute before it takes traffic again. Records have TTL 1 like the peers'; the TTL is not
 * part of the measured time, which ends at the first authoritative answer.
 */
final class PharosFleet {
    static final String TOKEN = "failover-bench-peer-token-not-a-secret";
    static final String TSIG_KEY = "pharos-bench-key";
    private static final List<String> JVM =
            List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /** One cluster of three vantage points. */
    record Set(
            String id,
            String label,
            String settings,
            int octet,
            boolean embedded,
            String timeout,
            String connectTimeout) {
        String address(int n) {
            return "127.0." + octet + "." + n;
        }

        String vp(int n) {
            return id + "-vp" + n;
        }
    }

    static final Set DEFAULTS =
            new Set(
                    "pharos",
                    "Pharos, defaults, embedded DNS",
                    "interval 1 s, fall 2, rise 3, recheck 200 ms, probe timeout 700 ms (connect"
                            + " 500 ms), quorum 2 of 3, votes pushed on change; hold-down 0 s;"
                            + " three vantage points, each serving DNS",
                    9,
                    true,
                    null,
                    null);
    static final Set TIMEOUT_1S =
            new Set(
                    "pharos-timeout1s",
                    "Pharos, probe timeout 1 s, embedded DNS",
                    "as the defaults, but probe timeout 999 ms (and connect 999 ms): the nearest to"
                            + " tuned PowerDNS's 1 s that Pharos accepts at a 1 s interval",
                    7,
                    true,
                    "999ms",
                    "999ms");
    static final Set BIND =
            new Set(
                    "pharos-bind",
                    "Pharos, defaults, RFC 2136 to BIND",
                    "the defaults; vp1 sends TSIG-signed RFC 2136 updates to BIND 9, which is what"
                            + " is queried; hold-down 0 s",
                    8,
                    false,
                    null,
                    null);

    static final List<Set> SETS = List.of(DEFAULTS, TIMEOUT_1S, BIND);

    private final Procs procs;
    private final Path work;
    private final Path jar;
    private final String java;
    private final String named;
    private final Map<String, Integer> httpPorts = new LinkedHashMap<>();
    private final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> envs = new LinkedHashMap<>();
    private final String tsigSecret;
    private InetSocketAddress bind;

    PharosFleet(Procs procs, Path work, Path jar, String java, String named) {
        this.procs = procs;
        this.work = work;
        this.jar = jar;
        this.java = java;
        this.named = named;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.tsigSecret = Base64.getEncoder().encodeToString(key);
    }

    /**
     * BIND 9 ({@code named -g}) serving example.test on 127.0.0.1 (BIND listens only on addresses
     * its interface scan finds), accepting updates signed with a key made for this run.
     */
    InetSocketAddress startBind() {
        Path dir = work.resolve("bind");
        int port = Ports.freeUdpAndTcp("127.0.0.1");
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("example.test.zone"),
                    """
                    $TTL 1
                    @     IN SOA ns1.example.test. hostmaster.example.test. 1 3600 600 86400 1
                    @     IN NS  ns1.example.test.
                    ns1   IN A   127.0.0.1
                    cdn 1 IN A   127.0.1.1
                    cdn 1 IN A   127.0.2.1
                    cdn 1 IN A   127.0.3.1
                    """);
            Files.writeString(
                    dir.resolve("named.conf"),
                    """
                    options {
                        directory "%1$s";
                        pid-file "%1$s/named.pid";
                        listen-on port %2$d { 127.0.0.1; };
                        listen-on-v6 { none; };
                        recursion no;
                        allow-query { any; };
                        dnssec-validation no;
                        notify no;
                    };
                    controls { };
                    key "%3$s" { algorithm hmac-sha256; secret "%4$s"; };
                    zone "example.test" {
                        type primary;
                        file "%1$s/example.test.zone";
                        update-policy { grant %3$s zonesub ANY; };
                    };
                    """
                            .formatted(dir, port, TSIG_KEY, tsigSecret));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        procs.start("bind", List.of(named, "-g", "-c", dir.resolve("named.conf").toString()));
        bind = new InetSocketAddress("127.0.0.1", port);
        return bind;
    }

    /** Writes the set's configurations and starts its three JVMs; returns their DNS servers. */
    List<InetSocketAddress> start(Set set) {
        List<Integer> http = new ArrayList<>();
        List<Integer> dns = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            http.add(Ports.freeTcp(set.address(n)));
            dns.add(Ports.freeUdpAndTcp(set.address(n)));
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            Path data = work.resolve(set.vp(n));
            Path config = work.resolve(set.vp(n) + ".yaml");
            TestTopology topology = topology(set, n, http, dns.get(n - 1), data);
            try {
                Files.createDirectories(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            topology.writeYaml(config);
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(JVM);
            cmd.add("-Dquarkus.config.locations=" + config);
            cmd.add("-jar");
            cmd.add(jar.toString());
            Map<String, String> env = topology.env();
            commands.put(set.vp(n), cmd);
            envs.put(set.vp(n), env);
            httpPorts.put(set.vp(n), http.get(n - 1));
            managementPorts.put(set.vp(n), topology.managementPort());
            procs.start(set.vp(n), cmd, env);
            servers.add(new InetSocketAddress(set.address(n), dns.get(n - 1)));
        }
        return set.embedded() ? servers : List.of(bind);
    }

    /**
     * Starves the first vantage point of every set of CPU for {@code seconds}: its JVM (every
     * thread) and {@code stress-ng --cpu workers} are pinned to core 0 with taskset; afterwards
     * stress-ng is stopped and the JVMs may run on every core again.
     */
    void starveFirst(int workers, int seconds) {
        List<Long> pids = new ArrayList<>();
        for (Set set : SETS) {
            pids.add(procs.pid(set.vp(1)));
        }
        String every = "0-" + (Runtime.getRuntime().availableProcessors() - 1);
        try {
            for (long pid : pids) {
                taskset("-a", "-p", "-c", "0", String.valueOf(pid));
            }
            procs.start(
                    "stress-ng",
                    List.of(
                            "taskset",
                            "-c",
                            "0",
                            "stress-ng",
                            "--cpu",
                            String.valueOf(workers),
                            "--timeout",
                            (seconds + 5) + "s"));
            Sleep.ms(seconds * 1000L);
        } finally {
            procs.stop("stress-ng");
            for (long pid : pids) {
                taskset("-a", "-p", "-c", every, String.valueOf(pid));
            }
        }
    }

    private static void taskset(String... args) {
        List<String> cmd = new ArrayList<>(List.of("taskset"));
        cmd.addAll(List.of(args));
        try {
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new BenchException(String.join(" ", cmd) + " failed");
            }
        } catch (IOException e) {
            throw new BenchException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted: " + String.join(" ", cmd));
        }
    }

    /** kill -9 one vantage point and start it again at once, with its data directory. */
    void restart(Set set, int n) {
        procs.kill(set.vp(n));
        procs.start(set.vp(n), commands.get(set.vp(n)), envs.get(set.vp(n)));
    }

    /** Until every vantage point of the set reports ready (warmed up, quorum held). */
    void awaitReady(Set set, Duration within) {
        for (int n = 1; n <= 3; n++) {
            awaitReady(set, n, within);
        }
    }

    void awaitReady(Set set, int n, Duration within) {
        URI ready =
                URI.create(
                        "http://"
                                + set.address(n)
                                + ":"
                                + managementPorts.get(set.vp(n))
                                + "/q/health/ready");
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (!procs.alive(set.vp(n))) {
                throw new BenchException(
                        set.vp(n) + " exited; see " + procs.log(set.vp(n)).toAbsolutePath());
            }
            if (Http.answers200(ready, Duration.ofSeconds(2))) {
                return;
            }
            Sleep.ms(250);
        }
        throw new BenchException(
                set.vp(n)
                        + " not ready within "
                        + within
                        + "; see "
                        + procs.log(set.vp(n)).toAbsolutePath());
    }

    private TestTopology topology(Set s, int self, List<Integer> http, int dnsPort, Path data) {
        TestTopology t =
                TestTopology.node("vp" + self)
                        .http(s.address(self), http.get(self - 1))
                        .sourceAddress(s.address(self))
                        .dataDir(data)
                        .set("pharos.node.actuate", s.embedded() || self == 1)
                        .env("PHAROS_API_PEER_TOKEN", TOKEN + "-vp" + self);
        for (int i = 1; i <= 3; i++) {
            if (i != self) {
                // each vantage point presents its own token, known to the others by its digest
                t.peer(
                        "vp" + i,
                        "http://" + s.address(i) + ":" + http.get(i - 1),
                        TOKEN + "-vp" + i);
            }
        }
        t.probe("path", "/health").probe("host", Cdn.HOST);
        if (s.timeout() != null) {
            t.probe("timeout", s.timeout()).probe("connect-timeout", s.connectTimeout());
        }
        for (int r : Cdn.REGIONS) {
            t.region(
                    "r" + r,
                    region ->
                            region.ipv4(Cdn.lb(r), Cdn.PORT)
                                    .backend("web1", Cdn.backend(r, 1), Cdn.PORT)
                                    .backend("web2", Cdn.backend(r, 2), Cdn.PORT));
        }
        t.roundRobin(Cdn.HOST, 1).policy("hold-down", "0s").zone("example.test");
        if (s.embedded()) {
            t.embeddedDns(s.address(self), dnsPort)
                    .set(
                            "pharos.dns.embedded.nameservers",
                            List.of("ns1.example.test", "ns2.example.test", "ns3.example.test"))
                    .set("pharos.dns.embedded.negative-ttl", 1);
            for (int i = 1; i <= 3; i++) {
                t.set(
                        "pharos.dns.embedded.glue.\"ns" + i + ".example.test\"",
                        List.of(s.address(i)));
            }
        } else {
            String server = bind.getAddress().getHostAddress() + ":" + bind.getPort();
            t.dns("rfc2136")
                    .set("pharos.dns.verify-servers", List.of(server))
                    .set("pharos.dns.rfc2136.server", server)
                    .set("pharos.dns.rfc2136.tsig-key-name", TSIG_KEY)
                    .env("PHAROS_DNS_RFC2136_TSIG_SECRET", tsigSecret);
        }
        return t;
    }
}
