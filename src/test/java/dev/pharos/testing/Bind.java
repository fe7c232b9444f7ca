package dev.pharos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * A real BIND ({@code named -g}) serving one zone on a loopback address, accepting dynamic updates
 * signed with a TSIG key made for the test.
 */
public final class Bind implements AutoCloseable {
    public static final String KEY_NAME = "pharos-test-key";

    private final Path dir;
    private final String zone;
    private final InetSocketAddress address;
    private final String secret;
    private final Process process;

    private Bind(Path dir, String zone, InetSocketAddress address, String secret, Process process) {
        this.dir = dir;
        this.zone = zone;
        this.address = address;
        this.secret = secret;
        this.process = process;
    }

    /** Starts BIND for {@code zone} with the given zone-file body (after SOA and NS). */
    public static Bind start(String ip, String zone, String records) throws Exception {
        Path named = Tools.require("named", "bind9");
        Tools.requireRoot("named -g runs as root here");
        int port = Ports.freeUdpAndTcp(ip);
        Path dir = Files.createTempDirectory("pharos-bind");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = Base64.getEncoder().encodeToString(key);
        Files.writeString(
                dir.resolve(zone + ".zone"),
                "$TTL 60\n@ IN SOA ns1."
                        + zone
                        + ". hostmaster."
                        + zone
                        + ". 1 3600 600 86400 5\n"
                        + "@ IN NS ns1."
                        + zone
                        + ".\nns1 IN A "
                        + ip
                        + "\n"
                        + records
                        + "\n");
        Files.writeString(
                dir.resolve("named.conf"),
                """
                options {
                    directory "%1$s";
                    pid-file "%1$s/named.pid";
                    listen-on port %2$d { %3$s; };
                    listen-on-v6 { none; };
                    recursion no;
                    allow-query { any; };
                    dnssec-validation no;
                    notify no;
                };
                controls { };
                key "%4$s" { algorithm hmac-sha256; secret "%5$s"; };
                zone "%6$s" {
                    type primary;
                    file "%1$s/%6$s.zone";
                    update-policy { grant %4$s zonesub ANY; };
                };
                """
                        .formatted(dir, port, ip, KEY_NAME, secret, zone));
        Process p =
                new ProcessBuilder(
                                named.toString(), "-g", "-c", dir.resolve("named.conf").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("named.log").toFile())
                        .start();
        Bind bind = new Bind(dir, zone, new InetSocketAddress(ip, port), secret, p);
        try {
            DnsServers.awaitServing("named", p, bind.address, zone, dir.resolve("named.log"));
        } catch (Exception e) {
            bind.close();
            throw e;
        }
        return bind;
    }

    /**
     * A Pharos vantage point that keeps {@code cdn.<zone>} (round-robin over regions r1..rn, each
     * one of {@code regions}, TTL 5, hold-down 1 s) in this server's zone by RFC 2136: it actuates,
     * sends its updates to {@code server} (this server, or a proxy in front of it) and verifies
     * them here.
     */
    public TestTopology cdnUpdater(String node, List<LoopbackHttpServer> regions, String server) {
        TestTopology t = TestTopology.node(node).actuate();
        for (int i = 0; i < regions.size(); i++) {
            t.region("r" + (i + 1), regions.get(i));
        }
        return updater(t.roundRobin("cdn." + zone, 5).policy("hold-down", "1s"), server);
    }

    /**
     * Makes {@code t} send its RFC 2136 updates for this server's zone to {@code server} (this
     * server, or a proxy in front of it), signed with this server's key, and verify them here.
     */
    public TestTopology updater(TestTopology t, String server) {
        return t.zone(zone)
                .dns("rfc2136")
                .set("pharos.dns.verify-servers", List.of(hostPort()))
                .set("pharos.dns.rfc2136.server", server)
                .set("pharos.dns.rfc2136.tsig-key-name", KEY_NAME)
                .env("PHAROS_DNS_RFC2136_TSIG_SECRET", secret);
    }

    public InetSocketAddress address() {
        return address;
    }

    public String hostPort() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    public String secret() {
        return secret;
    }

    public Path dir() {
        return dir;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("named.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        DnsServers.stop(process);
    }
}
