package dev.pharos.bench.chaos;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Asks every name server for the A records of one name every 50 ms over UDP, each server from a
 * thread and a socket of its own (a silent or stopped server never delays the others), and writes
 * each question to the history: sent, received, the response code ({@code TIMEOUT} when nothing
 * came back within the timeout) and the addresses. Answers to earlier questions that arrive late
 * are told apart by their id and ignored.
 */
final class Querier implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Querier(
            History history,
            List<InetSocketAddress> servers,
            String name,
            long everyMs,
            int timeoutMs) {
        for (int i = 0; i < servers.size(); i++) {
            int ns = i + 1;
            InetSocketAddress server = servers.get(i);
            Thread t =
                    new Thread(
                            () -> loop(history, ns, server, name, everyMs, timeoutMs),
                            "chaos-query-" + ns);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(
            History history,
            int ns,
            InetSocketAddress server,
            String name,
            long everyMs,
            int timeoutMs) {
        try (DatagramSocket socket =
                new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            Name qname = Name.fromString(name.endsWith(".") ? name : name + ".");
            byte[] buf = new byte[4096];
            long next = System.nanoTime();
            while (running) {
                next += everyMs * 1_000_000L;
                Message q = Message.newQuery(Record.newRecord(qname, Type.A, DClass.IN));
                int id = ThreadLocalRandom.current().nextInt(65536);
                q.getHeader().setID(id);
                byte[] wire = q.toWire();
                long sent = System.currentTimeMillis();
                String rcode = "TIMEOUT";
                TreeSet<String> values = null;
                try {
                    socket.send(new DatagramPacket(wire, wire.length, server));
                    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
                    while (true) {
                        int left = (int) ((deadline - System.nanoTime()) / 1_000_000L);
                        if (left <= 0) {
                            break;
                        }
                        socket.setSoTimeout(left);
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        Message r;
                        try {
                            r = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                        } catch (IOException e) {
                            rcode = "MALFORMED";
                            break;
                        }
                        if (r.getHeader().getID() != id) {
                            continue; // a late answer to an earlier question
                        }
                        rcode = Rcode.string(r.getRcode());
                        values = new TreeSet<>();
                        for (Record rec : r.getSection(Section.ANSWER)) {
                            if (rec instanceof ARecord a) {
                                values.add(a.getAddress().getHostAddress());
                            }
                        }
                        break;
                    }
                } catch (SocketTimeoutException e) {
                    // TIMEOUT
                } catch (IOException e) {
                    rcode = "ERROR";
                }
                long received = System.currentTimeMillis();
                ObjectNode n = History.entry("q", received);
                n.put("ns", ns);
                n.put("s", sent);
                n.put("rc", rcode);
                if (values != null) {
                    ArrayNode v = n.putArray("v");
                    values.forEach(v::add);
                }
                history.add(n);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    next = System.nanoTime(); // a timeout: ask again at once, keep the pace after
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
