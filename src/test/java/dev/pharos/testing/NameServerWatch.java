package dev.pharos.testing;

import dev.pharos.actuator.dns.DnsWire;
import dev.pharos.config.IpLiterals;
import dev.pharos.domain.RecordKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * Asks name servers one question over and over, each from its own thread (a slow server never
 * delays the sampling of another), and keeps every answer with the moments the question was sent
 * and the answer received. A question without an answer (a timeout, a refused connection, an error)
 * is kept as no answer: never mistaken for an answer without some address.
 */
public final class NameServerWatch implements AutoCloseable {
    /** One question: what server {@code server} answered, or null values if it did not. */
    public record Sample(int server, Instant sent, Instant received, Set<String> values) {
        public boolean answered() {
            return values != null;
        }

        public boolean has(String address) {
            return values != null && values.contains(address);
        }

        public boolean lacks(String address) {
            return values != null && !values.contains(address);
        }
    }

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * Starts watching: server i of the list is numbered i + 1 in the samples (vantage point i's
     * name server, in a cluster counted from 1).
     */
    public NameServerWatch(List<InetSocketAddress> servers, RecordKey key, Duration every) {
        for (int i = 0; i < servers.size(); i++) {
            int n = i + 1;
            InetSocketAddress server = servers.get(i);
            Thread t =
                    new Thread(
                            () -> {
                                while (running) {
                                    long next = System.nanoTime() + every.toNanos();
                                    samples.add(ask(n, server, key));
                                    LockSupport.parkNanos(next - System.nanoTime());
                                }
                            },
                            "dns-watch-" + n);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /**
     * One question now, over UDP as resolvers ask (cheaper for the server than TCP, which matters
     * on a loaded machine); an answer that does not fit is asked again over TCP.
     */
    public static Sample ask(int n, InetSocketAddress server, RecordKey key) {
        Instant sent = Instant.now();
        Set<String> values = null;
        try {
            SimpleResolver udp = DnsWire.resolver(server, Duration.ofMillis(500));
            udp.setTCP(false);
            Message q =
                    Message.newQuery(
                            Record.newRecord(
                                    DnsWire.name(key.name()), DnsWire.type(key), DClass.IN));
            Message r = DnsWire.send(udp, q, server);
            if (r.getRcode() == Rcode.NOERROR || r.getRcode() == Rcode.NXDOMAIN) {
                Set<String> v = new TreeSet<>();
                for (Record rec : r.getSection(Section.ANSWER)) {
                    if (rec.getType() == DnsWire.type(key)) {
                        v.add(IpLiterals.toText(DnsWire.address(rec)));
                    }
                }
                values = v;
            }
        } catch (Exception e) {
            values = null;
        }
        return new Sample(n, sent, Instant.now(), values);
    }

    /** Every sample so far of server n, in the order taken. */
    public List<Sample> of(int n) {
        return samples.stream().filter(s -> s.server() == n).toList();
    }

    /** The first answer of server n received after {@code after} that lacks the address. */
    public Optional<Sample> firstLacking(int n, String address, Instant after) {
        return of(n).stream()
                .filter(s -> s.received().isAfter(after) && s.lacks(address))
                .findFirst();
    }

    /** The first answer of server n received after {@code after} that has the address. */
    public Optional<Sample> firstHaving(int n, String address, Instant after) {
        return of(n).stream()
                .filter(s -> s.received().isAfter(after) && s.has(address))
                .findFirst();
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
