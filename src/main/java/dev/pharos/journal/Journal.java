package dev.pharos.journal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.journal.DnsEvent.ApplyIntent;
import dev.pharos.journal.DnsEvent.ApplyInterrupted;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The append-only journal: one JSON object per line in {@code journal.jsonl} ({@link JournalEvent}
 * with its typed {@link Event}), each written and fsynced before {@link #append} returns, so an
 * event the code has seen written survives a crash. On open it finds the last sequence number, and
 * if the last apply intent has no outcome (the process died mid-apply) it records that the apply
 * was interrupted.
 *
 * <p>A torn last line (a crash mid-write) is skipped on read and noted in the log, and so is a line
 * whose event this version does not understand (its sequence number still counts).
 */
public class Journal implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Journal.class);
    private volatile Supplier<OptionalLong> term = OptionalLong::empty;
    static final String FILE = "journal.jsonl";
    private static final TypeReference<Map<String, Object>> LINE = new TypeReference<>() {};

    private final Path file;
    private final String node;
    private final Clock clock;
    private final ObjectMapper json;
    // a FileOutputStream, not a FileChannel: an interrupted thread would close a channel for good
    private final FileOutputStream out;
    private final int tailSize;
    private final Deque<JournalEvent> tail = new ArrayDeque<>();
    private final List<Consumer<JournalEvent>> listeners = new CopyOnWriteArrayList<>();
    private long seq;

    public Journal(Path dataDir, String node, Clock clock, ObjectMapper json, int tailSize) {
        this.node = node;
        this.clock = clock;
        this.json = json;
        this.tailSize = tailSize;
        try {
            Files.createDirectories(dataDir);
            this.file = dataDir.resolve(FILE);
            recover();
            this.out = new FileOutputStream(file.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal in " + dataDir, e);
        }
        interruptedApplies();
    }

    private void recover() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> fields;
                try {
                    fields = json.readValue(line, LINE);
                } catch (IOException e) {
                    LOG.warnf(
                            "journal %s line %d is unreadable (torn write?); skipped",
                            file, lineNo);
                    continue;
                }
                if (fields.get("seq") instanceof Number n) {
                    seq = Math.max(seq, n.longValue());
                }
                try {
                    remember(JournalEvent.read(fields));
                } catch (IllegalArgumentException e) {
                    LOG.warnf(
                            "journal %s line %d is not an event this version knows (%s); skipped",
                            file, lineNo, e.getMessage());
                }
            }
        }
    }

    /** An apply intent whose outcome is missing: the process died between the two. */
    private void interruptedApplies() {
        JournalEvent openIntent = null;
        String actuator = null;
        for (JournalEvent e : tail) {
            if (e.event() instanceof ApplyIntent intent) {
                openIntent = e;
                actuator = intent.actuator();
            } else if (e.event() instanceof ApplyInterrupted) {
                openIntent = null;
            } else if (openIntent != null
                    && (e.type() == EventType.APPLY_OK || e.type() == EventType.APPLY_FAILED)
                    && e.event() instanceof ActuatorEvent outcome
                    && outcome.actuator().equals(actuator)) {
                openIntent = null;
            }
        }
        if (openIntent != null) {
            append(ApplyInterrupted.of(actuator, openIntent.seq()));
        }
    }

    public void addListener(Consumer<JournalEvent> listener) {
        listeners.add(listener);
    }

    /** Writes and fsyncs one event; returns its line, with its sequence number. */
    /**
     * Where the writer's term comes from: while this instance writes under coordination, every line
     * it appends carries the term.
     */
    public void term(Supplier<OptionalLong> source) {
        this.term = source;
    }

    public JournalEvent append(Event event) {
        JournalEvent e;
        synchronized (this) {
            OptionalLong t = term.get();
            e =
                    new JournalEvent(
                            ++seq,
                            clock.instant(),
                            node,
                            t.isPresent() ? t.getAsLong() : null,
                            event);
            try {
                byte[] line = (json.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
                out.write(line);
                out.getFD().sync();
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write the journal " + file, ex);
            }
            remember(e);
        }
        for (Consumer<JournalEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("journal listener failed", ex);
            }
        }
        return e;
    }

    private void remember(JournalEvent e) {
        tail.addLast(e);
        while (tail.size() > tailSize) {
            tail.removeFirst();
        }
    }

    /**
     * Events matching {@code filter}, newest first, with seq below {@code before} (or the newest if
     * absent), at most {@code limit}. Older pages than the memory tail are read from the file.
     */
    public synchronized List<JournalEvent> page(
            Predicate<JournalEvent> filter, long before, int limit) {
        List<JournalEvent> out = new ArrayList<>();
        var it = tail.descendingIterator();
        long oldestInTail = tail.isEmpty() ? Long.MAX_VALUE : tail.peekFirst().seq();
        while (it.hasNext() && out.size() < limit) {
            JournalEvent e = it.next();
            if (e.seq() < before && filter.test(e)) {
                out.add(e);
            }
        }
        if (out.size() < limit && oldestInTail > 1 && before > 1) {
            out.addAll(scanOlder(filter, Math.min(before, oldestInTail), limit - out.size()));
        }
        return out;
    }

    /** Events matching {@code filter} with seq above {@code after}, oldest first. */
    public synchronized List<JournalEvent> since(
            Predicate<JournalEvent> filter, long after, int limit) {
        List<JournalEvent> out = new ArrayList<>();
        long oldestInTail = tail.isEmpty() ? Long.MAX_VALUE : tail.peekFirst().seq();
        if (after + 1 < oldestInTail) {
            List<JournalEvent> older =
                    scanAll(e -> e.seq() > after && e.seq() < oldestInTail && filter.test(e));
            for (JournalEvent e : older) {
                if (out.size() >= limit) {
                    return out;
                }
                out.add(e);
            }
        }
        for (JournalEvent e : tail) {
            if (out.size() >= limit) {
                break;
            }
            if (e.seq() > after && filter.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    private List<JournalEvent> scanOlder(Predicate<JournalEvent> filter, long before, int limit) {
        List<JournalEvent> all = scanAll(e -> e.seq() < before && filter.test(e));
        List<JournalEvent> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            out.add(all.get(i));
        }
        return out;
    }

    private List<JournalEvent> scanAll(Predicate<JournalEvent> filter) {
        List<JournalEvent> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JournalEvent e = JournalEvent.read(json.readValue(line, LINE));
                    if (filter.test(e)) {
                        out.add(e);
                    }
                } catch (IOException | IllegalArgumentException ignored) {
                    // torn or not understood, already reported at open
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public synchronized long lastSeq() {
        return seq;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("closing the journal failed", e);
        }
    }
}
