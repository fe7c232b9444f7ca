package dev.pharos.bench.failover;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Asks every DNS server for {@code cdn.example.test A} every 50 ms over UDP, one thread per server
 * (a server that does not answer holds only its own thread), and keeps every answer with the time
 * it arrived: the times of all answer changes, and how many answers were of each kind, come from
 * this record. An answer is its sorted set of addresses; a timeout (45 ms), an error rcode, a
 * non-authoritative answer and an empty answer are kinds of their own. Changes are also written to
 * {@code changes.log} as they happen.
 */
final class Querier implements AutoCloseable {
    static final long PERIOD_MS = 50;
    static final long TIMEOUT_MS = 45;
    static final int NO_ANSWER = 0;
    static final int ERROR = 1;
    static final int EMPTY = 2;

    private final long origin = System.nanoTime();
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final List<String> answers = new CopyOnWriteArrayList<>();
    private final Map<String, Poller> pollers = new ConcurrentHashMap<>();
    private final BufferedWriter changes;
    private final Name qname;

    Querier(Path work, String name) {
        answers.addAll(List.of("(no answer)", "(error)", "(empty)"));
        try {
            qname = Name.fromString(name.endsWith(".") ? name : name + ".");
            changes = Files.newBufferedWriter(work.resolve("changes.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Milliseconds since this querier was made: the one clock of a run. */
    double now() {
        return (System.nanoTime() - origin) / 1e6;
    }

    void watch(String server, InetSocketAddress address) {
        Poller p = new Poller(server, address);
        if (pollers.putIfAbsent(server, p) != null) {
            throw new IllegalArgumentException("already watching " + server);
        }
        p.start();
    }

    /** The answers of one server so far (a copy). */
    Polls polls(String server) {
        Poller p = pollers.get(server);
        if (p == null) {
            throw new IllegalArgumentException("not watching " + server);
        }
        return p.snapshot();
    }

    /** The latest answer of a server, or NO_ANSWER before the first. */
    int latest(String server) {
        return pollers.get(server).latest;
    }

    /** The latest answer of a server that was not a timeout, or -1 before the first. */
    int latestReal(String server) {
        return pollers.get(server).lastReal;
    }

    /**
     * Waits until a server answers (anything but a timeout) at or after {@code since}, a time on
     * this querier's clock: a server just started or restarted is ready when it answers. False if
     * it does not within {@code within}.
     */
    boolean answersAfter(String server, double since, Duration within) {
        Poller p = pollers.get(server);
        long end = System.nanoTime() + within.toNanos();
        while (!(p.lastAnswerAt >= since)) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Sleep.ms(PERIOD_MS);
        }
        return true;
    }

    /** Time (ms) of the latest change of a server's answer (timeouts aside), or NaN. */
    double lastChange(String server) {
        return pollers.get(server).lastChangeAt;
    }

    /** The addresses of an answer id (empty for the special kinds). */
    java.util.Set<String> addresses(int id) {
        if (id <= EMPTY) {
            return java.util.Set.of();
        }
        return new TreeSet<>(Arrays.asList(answers.get(id).split(",")));
    }

    String text(int id) {
        return answers.get(id);
    }

    int id(java.util.Set<String> addresses) {
        return intern(String.join(",", new TreeSet<>(addresses)));
    }

    private int intern(String answer) {
        return ids.computeIfAbsent(
                answer,
                a -> {
                    synchronized (answers) {
                        answers.add(a);
                        return answers.size() - 1;
                    }
                });
    }

    private void logChange(String server, double at, int from, int to) {
        synchronized (changes) {
            try {
                changes.write(
                        String.format(
                                Locale.ROOT,
                                "%.1f %s %s -> %s%n",
                                at,
                                server,
                                answers.get(from),
                                answers.get(to)));
                changes.flush();
            } catch (IOException ignored) {
                // the record in memory is what counts
            }
        }
    }

    /** The answers of one server: arrival times (ms) and answer ids, in order. */
    record Polls(double[] times, int[] answers, int size) {
        /** Index of the first poll at or after {@code t}. */
        int indexAt(double t) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (times[mid] < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    private final class Poller extends Thread {
        private final String server;
        private final InetSocketAddress address;
        private double[] times = new double[4096];
        private int[] got = new int[4096];
        private int size;
        private volatile int latest = NO_ANSWER;
        private volatile boolean stopped;
        private volatile int lastReal = -1;
        private volatile double lastChangeAt = Double.NaN;
        private volatile double lastAnswerAt = Double.NaN;

        Poller(String server, InetSocketAddress address) {
            super("querier-" + server);
            setDaemon(true);
            this.server = server;
            this.address = address;
        }

        @Override
        public void run() {
            byte[] buf = new byte[4096];
            try (DatagramSocket socket =
                    new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                long next = System.nanoTime();
                while (!stopped) {
                    int id = ThreadLocalRandom.current().nextInt(0x10000);
                    int answer = ask(socket, buf, id, next + TIMEOUT_MS * 1_000_000);
                    record(now(), answer);
                    next += PERIOD_MS * 1_000_000;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } else if (-wait > PERIOD_MS * 1_000_000) {
                        next = System.nanoTime(); // fell behind (machine busy): skip, don't burst
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private int ask(DatagramSocket socket, byte[] buf, int id, long deadline)
                throws IOException {
            Message q = Message.newQuery(Record.newRecord(qname, Type.A, DClass.IN));
            q.getHeader().setID(id);
            byte[] wire = q.toWire();
            socket.send(new DatagramPacket(wire, wire.length, address));
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return NO_ANSWER;
                }
                socket.setSoTimeout((int) left);
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    return NO_ANSWER;
                }
                Message m;
                try {
                    m = new Message(Arrays.copyOf(p.getData(), p.getLength()));
                } catch (IOException e) {
                    continue; // not a DNS message: keep waiting for ours
                }
                if (m.getHeader().getID() != id) {
                    continue; // a late answer to an earlier query
                }
                if (m.getRcode() != Rcode.NOERROR || !m.getHeader().getFlag(Flags.AA)) {
                    return ERROR;
                }
                TreeSet<String> a = new TreeSet<>();
                for (Record r : m.getSection(Section.ANSWER)) {
                    if (r instanceof ARecord ar) {
                        a.add(ar.getAddress().getHostAddress());
                    }
                }
                return a.isEmpty() ? EMPTY : intern(String.join(",", a));
            }
        }

        private synchronized void record(double at, int answer) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                got = Arrays.copyOf(got, size * 2);
            }
            times[size] = at;
            got[size] = answer;
            size++;
            latest = answer;
            if (answer != NO_ANSWER) {
                if (lastReal >= 0 && lastReal != answer) {
                    logChange(server, at, lastReal, answer);
                    lastChangeAt = at;
                }
                lastReal = answer;
                lastAnswerAt = at;
            }
        }

        synchronized Polls snapshot() {
            return new Polls(Arrays.copyOf(times, size), Arrays.copyOf(got, size), size);
        }
    }

    @Override
    public void close() {
        pollers.values().forEach(p -> p.stopped = true);
        for (Poller p : pollers.values()) {
            try {
                p.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (changes) {
            try {
                changes.close();
            } catch (IOException ignored) {
                // nothing more to write
            }
        }
    }
}
