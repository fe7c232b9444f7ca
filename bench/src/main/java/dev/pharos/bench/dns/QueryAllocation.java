package dev.pharos.bench.dns;

import dev.pharos.actuator.dns.embedded.EmbeddedDnsMetrics;
import dev.pharos.actuator.dns.embedded.GeoSetup;
import dev.pharos.actuator.dns.embedded.QueryProcessor;
import dev.pharos.actuator.dns.embedded.ResponseRateLimiter;
import dev.pharos.actuator.dns.embedded.Transport;
import dev.pharos.actuator.dns.embedded.ZoneData;
import dev.pharos.actuator.dns.geo.GeoDatabase;
import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.EmbeddedDnsSettings;
import dev.pharos.config.Topology;
import dev.pharos.decision.ManagedRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Bytes allocated per query on the embedded server's query path (bytes in, bytes out, no sockets),
 * measured with the JVM's per-thread allocation counter over many queries after a warm-up: no JMH,
 * no timing assertion. For bench/dns/geo.sh, on the configuration it writes ({@code cdn}
 * round-robin, {@code www} geo, the script's location database). It prints one line per kind: bytes
 * per query and, for information only (one thread, shared cores), nanoseconds per query.
 *
 * <p>Usage: {@code QueryAllocation CONFIG.yaml [QUERIES]}
 */
public final class QueryAllocation {
    private QueryAllocation() {}

    public static void main(String[] args) throws Exception {
        org.jboss.logmanager.LogContext.getSystemLogContext()
                .getLogger("")
                .setLevel(java.util.logging.Level.INFO);
        Topology topology = ConfigFixtures.topology(Path.of(args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        EmbeddedDnsSettings e = topology.dns().embedded().orElseThrow();
        GeoDatabase db = new GeoDatabase(e.geoDatabase());
        db.load();
        ZoneData zone =
                ZoneData.build(
                        e.zone(), ManagedRecords.failOpen(topology), 1, new GeoSetup(topology, db));
        QueryProcessor p =
                new QueryProcessor(
                        () -> zone,
                        new ResponseRateLimiter(0, 0, System::nanoTime),
                        new EmbeddedDnsMetrics(new SimpleMeterRegistry()));
        InetAddress local = InetAddress.getByName("127.0.0.1");

        // six /27s of the script's database, one per continent, and 32 hosts in each (as /32s)
        List<byte[]> many = new ArrayList<>();
        for (int net = 0; net < 6; net++) {
            for (int host = 0; host < 32; host++) {
                many.add(
                        ecs(
                                "www.example.test.",
                                32,
                                new byte[] {(byte) 203, 0, 113, (byte) (net * 32 + host)}));
            }
        }
        run(p, local, n, "rr (cdn A, no EDNS)", List.of(plain("cdn.example.test.")));
        run(
                p,
                local,
                n,
                "rr-ecs (cdn A, ECS /27: scope 0)",
                List.of(ecs("cdn.example.test.", 27, new byte[] {(byte) 203, 0, 113, 0})));
        run(
                p,
                local,
                n,
                "geo-ecs (www A, ECS 203.0.113.0/27)",
                List.of(ecs("www.example.test.", 27, new byte[] {(byte) 203, 0, 113, 0})));
        run(p, local, n, "geo-ecs-192 (www A, 192 ECS /32 clients, 6 continents)", many);
        run(
                p,
                local,
                n,
                "geo-source (www A, no ECS, source 127.0.0.1)",
                List.of(plain("www.example.test.")));
    }

    private static byte[] plain(String name) {
        return Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN))
                .toWire();
    }

    private static byte[] ecs(String name, int source, byte[] address) {
        Message q =
                Message.newQuery(
                        Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN));
        int octets = (source + 7) / 8;
        byte[] data = new byte[4 + octets];
        data[1] = 1;
        data[2] = (byte) source;
        System.arraycopy(address, 0, data, 4, octets);
        q.addRecord(
                new OPTRecord(
                        1232, 0, 0, 0, new GenericEDNSOption(EDNSOption.Code.CLIENT_SUBNET, data)),
                Section.ADDITIONAL);
        return q.toWire();
    }

    private static void run(
            QueryProcessor p, InetAddress client, int n, String kind, List<byte[]> queries) {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < n; i++) { // warm-up: compile the path, fill the cache
            sink += p.handle(queries.get(i % queries.size()), Transport.UDP, client).length;
        }
        long bytes = mx.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += p.handle(queries.get(i % queries.size()), Transport.UDP, client).length;
        }
        long t1 = System.nanoTime();
        bytes = mx.getCurrentThreadAllocatedBytes() - bytes;
        System.out.printf(
                "%-58s %7.0f bytes/query %7.0f ns/query (%d queries, sink %d)%n",
                kind, (double) bytes / n, (double) (t1 - t0) / n, n, sink % 7);
    }
}
