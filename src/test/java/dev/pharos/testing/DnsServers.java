package dev.pharos.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** What the real DNS servers the tests start (BIND, Knot) have in common. */
final class DnsServers {
    private DnsServers() {}

    /**
     * Waits until {@code process} answers the zone's SOA at {@code address}; fails with its log if
     * it exits or does not answer within 20 s.
     */
    static void awaitServing(
            String what, Process process, InetSocketAddress address, String zone, Path log)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited: " + Files.readString(log));
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
        throw new IllegalStateException(what + " did not start: " + Files.readString(log));
    }

    /** Stops the process, forcibly if it does not stop within 5 s. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
