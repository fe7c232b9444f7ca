package dev.pharos.testing;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Knot DNS ({@code knotd}) serving one zone from a zone file the test writes, on a loopback
 * address: the reference the embedded server's answers are compared with.
 */
public final class Knot implements AutoCloseable {
    private final InetSocketAddress address;
    private final Process process;

    private Knot(InetSocketAddress address, Process process) {
        this.address = address;
        this.process = process;
    }

    /**
     * Starts knotd for {@code zone}.
     *
     * @param zoneFile the whole zone file ($TTL, SOA, NS and the rest), relative names allowed
     */
    public static Knot start(String ip, String zone, String zoneFile) throws Exception {
        Path knotd = Tools.require("knotd", "knot");
        int port = Ports.freeUdpAndTcp(ip);
        Path dir = Files.createTempDirectory("pharos-knot");
        Files.writeString(dir.resolve(zone + ".zone"), zoneFile);
        Files.writeString(
                dir.resolve("knot.conf"),
                """
                server:
                    listen: %2$s@%3$d
                    rundir: "%1$s"
                database:
                    storage: "%1$s"
                log:
                  - target: stderr
                    any: info
                zone:
                  - domain: %4$s
                    file: "%1$s/%4$s.zone"
                """
                        .formatted(dir, ip, port, zone));
        Path log = dir.resolve("knot.log");
        Process p =
                new ProcessBuilder(knotd.toString(), "-c", dir.resolve("knot.conf").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        Knot knot = new Knot(new InetSocketAddress(ip, port), p);
        try {
            DnsServers.awaitServing("knotd", p, knot.address, zone, log);
        } catch (Exception e) {
            knot.close();
            throw e;
        }
        return knot;
    }

    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() throws Exception {
        DnsServers.stop(process);
    }
}
