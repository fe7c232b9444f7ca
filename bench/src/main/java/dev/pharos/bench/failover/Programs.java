package dev.pharos.bench.failover;

import dev.pharos.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The programs the benchmark runs, found up front: a missing one stops the run, saying which. */
final class Programs {
    final String haproxy;
    final String pdns;
    final String gdnsd;
    final String named;
    final String python;
    final String java;
    final Path backend;

    private Programs(Map<String, String> found, Path backend) {
        this.haproxy = found.get("haproxy");
        this.pdns = found.get("pdns_server");
        this.gdnsd = found.get("gdnsd");
        this.named = found.get("named");
        this.python = found.get("python3");
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.backend = backend;
    }

    /** Debian package of each program. */
    private static final Map<String, String> PACKAGES =
            Map.of(
                    "haproxy", "haproxy",
                    "pdns_server", "pdns-server pdns-backend-bind",
                    "gdnsd", "gdnsd",
                    "named", "bind9",
                    "python3", "python3",
                    "gnuplot", "gnuplot-nox",
                    "nft", "nftables",
                    "ss", "iproute2");

    static Programs check(BenchOptions o) {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new BenchException(
                    "run as root: named, gdnsd and PowerDNS run as root here, and the packet-loss"
                            + " scenario adds an nftables rule");
        }
        Map<String, String> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String p :
                List.of(
                        "haproxy",
                        "pdns_server",
                        "gdnsd",
                        "named",
                        "python3",
                        "gnuplot",
                        "nft",
                        "ss")) {
            Tools.find(p)
                    .ifPresentOrElse(path -> found.put(p, path.toString()), () -> missing.add(p));
        }
        if (!missing.isEmpty()) {
            List<String> pkgs = missing.stream().map(PACKAGES::get).toList();
            throw new BenchException(
                    "missing "
                            + String.join(", ", missing)
                            + "; install them with: apt-get install -y "
                            + String.join(" ", pkgs));
        }
        if (!Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/pdns/libbindbackend.so"))
                && !Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/pdns/libbindbackend.so"))) {
            System.out.println("note: PowerDNS's bind backend not found where Debian puts it");
        }
        if (!Files.isRegularFile(o.jar())) {
            throw new BenchException(
                    "no Pharos jar at " + o.jar() + "; build it with ./mvnw package -DskipTests");
        }
        Path backend = o.repo().resolve("bench/failover/backend.py");
        if (!Files.isRegularFile(backend)) {
            throw new BenchException(backend + " not found (give --repo the repository root)");
        }
        return new Programs(found, backend);
    }

    String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException ignored) {
            // unknown
        }
        return Runtime.getRuntime().availableProcessors()
                + " cores ("
                + cpu
                + "), Linux "
                + System.getProperty("os.version")
                + "; other builds share the machine";
    }

    String versions() {
        List<String> v = new ArrayList<>();
        v.add(first(List.of(pdns, "--version"), "PowerDNS Authoritative Server"));
        v.add(first(List.of(gdnsd, "-h"), "gdnsd version"));
        v.add(first(List.of(named, "-v"), "BIND"));
        v.add(first(List.of(haproxy, "-v"), "HAProxy version"));
        v.add("Java " + System.getProperty("java.version"));
        v.add(first(List.of(python, "--version"), "Python"));
        return String.join("; ", v);
    }

    private static String first(List<String> cmd, String marker) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            for (String line : out.split("\n")) {
                int i = line.indexOf(marker);
                if (i >= 0) {
                    String s = line.substring(i).strip();
                    return s.length() > 60 ? s.substring(0, 60) : s;
                }
            }
        } catch (IOException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return cmd.get(0) + " (version unknown)";
    }
}
