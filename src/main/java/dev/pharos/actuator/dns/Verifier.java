package dev.pharos.actuator.dns;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Waits until every authoritative server serves a plan's result: the configured verify servers, or
 * else the zone's NS (their addresses looked up on the primary, port 53; an NS at the primary's own
 * address is asked on the primary's port).
 */
public final class Verifier {
    private static final Duration POLL = Duration.ofMillis(50);

    private final Name zone;
    private final InetSocketAddress primary;
    private final Optional<List<InetSocketAddress>> configured;
    private final Duration timeout;

    public Verifier(
            Name zone,
            InetSocketAddress primary,
            Optional<List<InetSocketAddress>> configured,
            Duration timeout) {
        this.zone = zone;
        this.primary = primary;
        this.configured = configured;
        this.timeout = timeout;
    }

    /**
     * Asks every server at once, each on its own thread, until it serves every change or the
     * deadline passes (checked before every query, and no query outlives it): one server that does
     * not answer costs only its own result.
     */
    public VerifyReport verify(DnsPlan plan, Duration deadline) throws ActuatorException {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        List<InetSocketAddress> servers = configured.isPresent() ? configured.get() : fromNs();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        servers.size(),
                        r -> {
                            Thread t = new Thread(r, "pharos-verify-server");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            List<Future<VerifyReport.Server>> asked = new ArrayList<>();
            for (InetSocketAddress s : servers) {
                asked.add(pool.submit(() -> verify(s, plan, start, end, deadline)));
            }
            List<VerifyReport.Server> out = new ArrayList<>();
            for (int i = 0; i < servers.size(); i++) {
                try {
                    out.add(asked.get(i).get());
                } catch (ExecutionException e) {
                    out.add(
                            VerifyReport.Server.notServed(
                                    name(servers.get(i)), String.valueOf(e.getCause())));
                }
            }
            return new VerifyReport(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ActuatorException.retryable("verification interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private VerifyReport.Server verify(
            InetSocketAddress server, DnsPlan plan, long start, long end, Duration deadline) {
        Set<DnsChange> pending = new LinkedHashSet<>(plan.changes());
        String last = "not asked";
        while (true) {
            for (DnsChange c : List.copyOf(pending)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Duration wait = Duration.ofNanos(Math.min(timeout.toNanos(), left));
                String problem = problem(server, c, wait);
                if (problem == null) {
                    pending.remove(c);
                } else {
                    last = c.key() + ": " + problem;
                }
            }
            if (pending.isEmpty()) {
                return VerifyReport.Server.served(
                        name(server), Duration.ofNanos(System.nanoTime() - start));
            }
            if (System.nanoTime() >= end) {
                return VerifyReport.Server.notServed(
                        name(server),
                        "not served after " + deadline.toMillis() + " ms (" + last + ")");
            }
            try {
                Thread.sleep(
                        Math.max(
                                1,
                                Math.min(POLL.toMillis(), (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                return VerifyReport.Server.notServed(name(server), "verification interrupted");
            }
        }
    }

    private static String name(InetSocketAddress s) {
        return s.getAddress().getHostAddress() + ":" + s.getPort();
    }

    /** Null if the server serves the change's result; else its answer or error. */
    private static String problem(InetSocketAddress server, DnsChange c, Duration wait) {
        try {
            Optional<RecordSet> got = DnsWire.query(server, c.key(), wait);
            SortedSet<String> want = c.after().map(RecordSet::values).orElse(new TreeSet<>());
            SortedSet<String> has = got.map(RecordSet::values).orElse(new TreeSet<>());
            return has.equals(want) ? null : "answers " + has + ", not " + want;
        } catch (ActuatorException e) {
            return e.getMessage();
        }
    }

    private List<InetSocketAddress> fromNs() throws ActuatorException {
        List<InetSocketAddress> out = new ArrayList<>();
        Message q = Message.newQuery(Record.newRecord(zone, Type.NS, DClass.IN));
        Message r = DnsWire.send(DnsWire.resolver(primary, timeout), q, primary);
        for (Record rec : r.getSection(Section.ANSWER)) {
            if (rec instanceof NSRecord ns) {
                for (String type : new String[] {"A", "AAAA"}) {
                    RecordKey key =
                            new RecordKey(ns.getTarget().toString(true).toLowerCase(), type);
                    for (String a :
                            DnsWire.query(primary, key, timeout)
                                    .map(RecordSet::values)
                                    .orElse(new TreeSet<>())) {
                        InetAddress addr = dev.pharos.config.IpLiterals.parseAny(a).orElseThrow();
                        out.add(
                                addr.equals(primary.getAddress())
                                        ? primary
                                        : new InetSocketAddress(addr, 53));
                    }
                }
            }
        }
        if (out.isEmpty()) {
            out.add(primary);
        }
        return out;
    }
}
