package dev.pharos.bench.failover;

import dev.pharos.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The open-source servers that do health-checked DNS themselves, configured from the reference
 * templates in {@code ../shared/peers/} (read at run time beside the repository, never copied into
 * it): PowerDNS Authoritative 4.7 with a LUA record ({@code ifurlup} over the three load balancers,
 * {@code selector='all'}, bind backend) and gdnsd 3.8 ({@code http_status} + {@code multifo}). Both
 * probe {@code http://cdn.example.test:8080/health} on every load balancer from 127.0.0.1, their
 * one point of view, and serve {@code cdn.example.test} on 127.0.0.1 at a free port.
 *
 * <p>Each runs twice in the same run, at its defaults and tuned (the settings below are those of
 * the reference measurements in {@code ../shared/peers/README.md}).
 */
final class PeerDns {
    /** One configuration of one peer. */
    record Config(String id, String label, String settings, Kind kind, Map<String, String> vars) {}

    enum Kind {
        PDNS,
        GDNSD
    }

    static final Config PDNS_DEFAULTS =
            new Config(
                    "pdns",
                    "PowerDNS 4.7 LUA, defaults",
                    "lua-health-checks-interval=5 (default), ifurlup timeout 2 s (default), one"
                            + " failed check marks an address down",
                    Kind.PDNS,
                    Map.of("@LUA_INTERVAL@", "5", "@LUA_OPTS@", ""));
    static final Config PDNS_TUNED =
            new Config(
                    "pdns-tuned",
                    "PowerDNS 4.7 LUA, tuned to 1 s",
                    "lua-health-checks-interval=1, ifurlup timeout='1' (whole seconds in 4.7), one"
                            + " failed check marks an address down",
                    Kind.PDNS,
                    Map.of("@LUA_INTERVAL@", "1", "@LUA_OPTS@", ", timeout='1'"));
    static final Config GDNSD_DEFAULTS =
            new Config(
                    "gdnsd",
                    "gdnsd 3.8, defaults",
                    "http_status interval 10, timeout 5, down_thresh 10, ok_thresh 10, up_thresh 20"
                            + " (defaults)",
                    Kind.GDNSD,
                    Map.of("@SVC_OPTS@", ""));
    static final Config GDNSD_TUNED =
            new Config(
                    "gdnsd-tuned",
                    "gdnsd 3.8, tuned to its minimum interval",
                    "interval 2 (the smallest gdnsd accepts), timeout 1, down_thresh 2, ok_thresh 2,"
                            + " up_thresh 3",
                    Kind.GDNSD,
                    Map.of(
                            "@SVC_OPTS@",
                            "interval => 2, timeout => 1, down_thresh => 2, ok_thresh => 2,"
                                    + " up_thresh => 3"));

    /** In the order of the report. */
    static final List<Config> CONFIGS =
            List.of(PDNS_DEFAULTS, PDNS_TUNED, GDNSD_DEFAULTS, GDNSD_TUNED);

    private static final Pattern LEFT_OVER = Pattern.compile("@[A-Z_]+@");

    private final Procs procs;
    private final Path templates;
    private final Path work;
    private final String pdnsServer;
    private final String gdnsd;
    private final Map<String, Started> started = new LinkedHashMap<>();

    private record Started(Config config, InetSocketAddress address, List<String> command) {}

    PeerDns(Procs procs, Path templates, Path work, String pdnsServer, String gdnsd) {
        this.procs = procs;
        this.templates = templates;
        this.work = work;
        this.pdnsServer = pdnsServer;
        this.gdnsd = gdnsd;
    }

    /** The shared templates beside the repository, or a stop with the reason. */
    static Path templates(Path repo) {
        Path dir = repo.toAbsolutePath().normalize().resolveSibling("shared").resolve("peers");
        List<String> need =
                List.of(
                        "pdns.conf.tmpl",
                        "pdns-named.conf.tmpl",
                        "pdns-lua.zone.tmpl",
                        "gdnsd.config.tmpl",
                        "gdnsd-dyna.zone.tmpl");
        for (String f : need) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new BenchException(
                        "the peers' reference configuration is missing: "
                                + dir.resolve(f)
                                + " not found. The benchmark reads PowerDNS and gdnsd settings from"
                                + " ../shared/peers/ beside the repository (as CI has it) and does"
                                + " not carry copies; put the shared folder there and rerun.");
            }
        }
        return dir;
    }

    InetSocketAddress start(Config c) {
        Path dir = work.resolve(c.id());
        int port = Ports.freeUdpAndTcp("127.0.0.1");
        Map<String, String> vars = new LinkedHashMap<>(c.vars());
        vars.put("@RUNDIR@", dir.toString());
        vars.put("@PORT@", String.valueOf(port));
        List<String> cmd;
        try {
            if (c.kind() == Kind.PDNS) {
                Files.createDirectories(dir);
                // "yes" is 4.7's mode when LUA records are enabled: a fresh Lua state per query
                vars.put("@LUA_MODE@", "yes");
                vars.put("@LOGLEVEL@", "4");
                fill("pdns.conf.tmpl", dir.resolve("pdns.conf"), vars);
                fill("pdns-named.conf.tmpl", dir.resolve("named.conf"), vars);
                fill("pdns-lua.zone.tmpl", dir.resolve("example.test.zone"), vars);
                cmd = List.of(pdnsServer, "--config-dir=" + dir);
            } else {
                Files.createDirectories(dir.resolve("zones"));
                Files.createDirectories(dir.resolve("run"));
                Files.createDirectories(dir.resolve("state"));
                fill("gdnsd.config.tmpl", dir.resolve("config"), vars);
                fill("gdnsd-dyna.zone.tmpl", dir.resolve("zones").resolve("example.test"), vars);
                cmd = List.of(gdnsd, "-c", dir.toString(), "start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        started.put(c.id(), new Started(c, address, cmd));
        procs.start(c.id(), cmd);
        return address;
    }

    /** kill -9 and start again with the same configuration (the restart scenario). */
    void restart(String id) {
        Started s = started.get(id);
        procs.kill(id);
        procs.start(id, s.command());
    }

    private void fill(String template, Path target, Map<String, String> vars) throws IOException {
        String text = Files.readString(templates.resolve(template));
        for (Map.Entry<String, String> v : vars.entrySet()) {
            text = text.replace(v.getKey(), v.getValue());
        }
        // comments may name variables ("@VARS@ are filled in by ..."): check the settings only
        String settings =
                text.lines()
                        .filter(l -> !l.strip().startsWith("#") && !l.strip().startsWith(";"))
                        .collect(java.util.stream.Collectors.joining("\n"));
        Matcher m = LEFT_OVER.matcher(settings);
        if (m.find()) {
            throw new BenchException(
                    templates.resolve(template)
                            + " has a variable this benchmark does not know: "
                            + m.group()
                            + " (the templates changed; update PeerDns)");
        }
        Files.writeString(target, text);
    }
}
