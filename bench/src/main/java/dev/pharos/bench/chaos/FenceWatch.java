package dev.pharos.bench.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Asks the external DNS server (BIND) every 50 ms for the writers' fencing record ({@code
 * _pharos-writer.<zone> TXT}, the term of the writer whose updates the server accepts) and the
 * zone's SOA serial (one more for each accepted update), and writes each change of either to the
 * history as a {@code fence} entry: when the question was sent and the answer received, the term
 * (-1 when the record is absent) and the serial. The number of polls goes to the history at the end
 * ({@code fencepolls}).
 */
final class FenceWatch implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private final History history;
    private long polls;
    private volatile long term = -1;

    FenceWatch(History history, InetSocketAddress server, String zone, long everyMs) {
        this.history = history;
        this.thread = new Thread(() -> loop(server, zone, everyMs), "chaos-fence");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(InetSocketAddress server, String zone, long everyMs) {
        try {
            SimpleResolver dns = new SimpleResolver(server);
            dns.setTimeout(Duration.ofMillis(300));
            Name apex = Name.fromString(zone.endsWith(".") ? zone : zone + ".");
            Name fence = Name.fromString("_pharos-writer", apex);
            long lastTerm = Long.MIN_VALUE;
            long lastSerial = Long.MIN_VALUE;
            long next = System.nanoTime();
            while (running) {
                next += everyMs * 1_000_000L;
                long sent = System.currentTimeMillis();
                Long term = null;
                Long serial = null;
                try {
                    Message m =
                            dns.send(
                                    Message.newQuery(Record.newRecord(fence, Type.TXT, DClass.IN)));
                    term = -1L;
                    for (Record r : m.getSection(Section.ANSWER)) {
                        if (r instanceof TXTRecord txt) {
                            term = Long.parseLong(txt.getStrings().get(0));
                        }
                    }
                    Message s =
                            dns.send(Message.newQuery(Record.newRecord(apex, Type.SOA, DClass.IN)));
                    for (Record r : s.getSection(Section.ANSWER)) {
                        if (r instanceof SOARecord soa) {
                            serial = soa.getSerial();
                        }
                    }
                } catch (Exception e) {
                    // no answer this time
                }
                long received = System.currentTimeMillis();
                if (term != null) {
                    this.term = term;
                    polls++;
                    long sv = serial == null ? lastSerial : serial;
                    if (term != lastTerm || sv != lastSerial) {
                        ObjectNode n = History.entry("fence", received);
                        n.put("s", sent).put("term", term).put("serial", sv);
                        history.add(n);
                        lastTerm = term;
                        lastSerial = sv;
                    }
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    next = System.nanoTime();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The term the fencing record held at the latest answer (-1: none yet, or no record). */
    long term() {
        return term;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ObjectNode n = History.entry("fencepolls", System.currentTimeMillis());
        n.put("n", polls);
        history.add(n);
    }
}
