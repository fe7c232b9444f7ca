package dev.pharos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real BIND ({@code named -g}) serving one zone on a loopback address, accepting dynamic updates
 * signed with a TSIG key made for the test.
 */
public final class Bind implements AutoCloseable {
    public static final String KEY_NAME = "pharos-test-key";

    private final Path dir;
    private final InetSocketAddress address;
    private final String secret;
    private final Process process;

    private Bind(Path dir, InetSocketAddress address, String secret, Process process) {
        this.dir = dir;
        this.address = address;
        this.secret = secret;
        this.process = process;
    }

    /** Starts BIND for {@code zone} with the given zone-file body (after SOA and NS). */
    public static Bind start(String ip, String zone, String records) throws Exception {
        Path named = Tools.require("named", "bind9");
        if (!Tools.root()) {
            org.junit.jupiter.api.Assumptions.abort("named -g needs root here");
        }
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
        Bind bind = new Bind(dir, new InetSocketAddress(ip, port), secret, p);
        bind.awaitServing(zone);
        return bind;
    }

    private void awaitServing(String zone) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "named exited: " + Files.readString(dir.resolve("named.log")));
            }
            try {
                SimpleResolver r = new SimpleResolver(address);
                r.setTimeout(Duration.ofMillis(300));
                Message m =
                        r.send(
                                Message.newQuery(
                                        Record.newRecord(
                                                Name.fromString(zone + "."), Type.SOA, DClass.IN)));
                if (m.getRcode() == Rcode.NOERROR) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "named did not start: " + Files.readString(dir.resolve("named.log")));
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
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
