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

    public Duration verify(DnsPlan plan, Duration deadline) throws ActuatorException {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        List<InetSocketAddress> servers = configured.isPresent() ? configured.get() : fromNs();
        Set<String> pending = new LinkedHashSet<>();
        for (InetSocketAddress s : servers) {
            for (DnsChange c : plan.changes()) {
                pending.add(s + "|" + c.key());
            }
        }
        while (true) {
            for (InetSocketAddress s : servers) {
                for (DnsChange c : plan.changes()) {
                    String id = s + "|" + c.key();
                    if (pending.contains(id) && serves(s, c)) {
                        pending.remove(id);
                    }
                }
            }
            if (pending.isEmpty()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > end) {
                throw ActuatorException.retryable(
                        "not yet served after " + deadline.toSeconds() + " s: " + pending, null);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ActuatorException.retryable("verification interrupted", e);
            }
        }
    }

    private boolean serves(InetSocketAddress server, DnsChange c) {
        try {
            Optional<RecordSet> got = DnsWire.query(server, c.key(), timeout);
            SortedSet<String> want = c.after().map(RecordSet::values).orElse(new TreeSet<>());
            return got.map(RecordSet::values).orElse(new TreeSet<>()).equals(want);
        } catch (ActuatorException e) {
            return false;
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
