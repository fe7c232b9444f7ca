package dev.pharos.journal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pharos.journal.DnsEvent.ApplyIntent;
import dev.pharos.journal.DnsEvent.ApplyInterrupted;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jboss.logging.Logger;

/**
 * The append-only journal: one JSON object per line ({@link JournalEvent} with its typed {@link
 * Event}), each written and fsynced before {@link #append} returns, so an event the code has seen
 * written survives a crash. On open it finds the last sequence number, and if the last apply intent
 * has no outcome (the process died mid-apply) it records that the apply was interrupted.
 *
 * <p><b>Write failures never reach the caller.</b> A full or failing disk must not stop failover:
 * an event that cannot be written keeps its sequence number, goes to its listeners and the readers
 * as usual, and waits in a bounded buffer ({@link Settings#unwrittenLimit}; beyond it the oldest
 * are dropped and counted) that is written, in order, by the next append or a retry with backoff.
 * {@link #health} says the journal is failing until it is written again. The bytes a failed write
 * may have left (a partial line after ENOSPC) are cut off before the next write, so they never make
 * the next event unreadable; a torn last line found at open (a crash mid-write) is ended with a
 * newline and skipped on read.
 *
 * <p><b>Segments.</b> The events are written to {@code journal.jsonl}; once it holds {@link
 * Settings#segmentBytes}, it is renamed to {@code journal.FIRST-LAST.jsonl} (its first and last
 * sequence numbers) and a new one starts; rotated segments are compressed to {@code .jsonl.gz} in
 * the background, and the oldest are deleted beyond {@link Settings#retainSegments}.
 *
 * <p><b>Readers never take the writer's lock.</b> The newest events are kept in memory in a
 * concurrent map; older pages are read from the segments and the file, and a read that overlaps a
 * rotation is read again.
 */
public class Journal implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Journal.class);
    private volatile Supplier<OptionalLong> term = OptionalLong::empty;
    static final String FILE = "journal.jsonl";
    private static final Pattern SEGMENT = Pattern.compile("journal\\.(\\d+)-(\\d+)\\.jsonl");
    private static final TypeReference<Map<String, Object>> LINE = new TypeReference<>() {};
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    /**
     * @param segmentBytes the size at which {@code journal.jsonl} is rotated
     * @param retainSegments how many rotated segments are kept
     * @param unwrittenLimit how many events that could not be written are kept for a later write
     */
    public record Settings(long segmentBytes, int retainSegments, int unwrittenLimit) {
        public static final Settings DEFAULTS = new Settings(64L << 20, 16, 10_000);

        public Settings {
            if (segmentBytes < 1 || retainSegments < 1 || unwrittenLimit < 1) {
                throw new IllegalArgumentException("journal settings must be positive");
            }
        }
    }

    /**
     * Whether the journal is being written.
     *
     * @param failing the last write failed; events wait in memory
     * @param error the last write's error, while failing
     * @param failingSince when writing started failing, while failing
     * @param unwritten events waiting to be written
     * @param dropped events lost since start because the buffer was full
     * @param writeFailures failed writes since start
     */
    public record Health(
            boolean failing,
            Optional<String> error,
            Optional<Instant> failingSince,
            int unwritten,
            long dropped,
            long writeFailures) {}

    /** A rotated segment: its sequence numbers and its file (compressed or not yet). */
    record Segment(long first, long last, Path path) {
        boolean compressed() {
            return path.getFileName().toString().endsWith(".gz");
        }
    }

    /** What readers see of the files; replaced (never changed) at every rotation or compression. */
    private record Segments(List<Segment> segments) {}

    private final Path dir;
    private final Path file;
    private final String node;
    private final Clock clock;
    private final ObjectMapper json;
    private final Settings settings;
    private final int tailSize;
    private final int unwrittenLimit;
    private final ConcurrentSkipListMap<Long, JournalEvent> tail = new ConcurrentSkipListMap<>();
    private final List<Consumer<JournalEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService background;

    // the writer's state, under the lock of `this`
    private final Deque<Pending> unwritten = new ArrayDeque<>();
    private int tailCount;
    private long seq;
    private long written;
    // a RandomAccessFile, not a FileChannel: an interrupted thread would close a channel for good
    private RandomAccessFile out;
    private long size;
    private long activeFirst;
    private boolean torn;
    private boolean newlineFirst;
    private boolean retryArmed;
    private Duration retryDelay = FIRST_RETRY;
    private boolean closed;

    private volatile Segments files = new Segments(List.of());
    private volatile Health health = new Health(false, Optional.empty(), Optional.empty(), 0, 0, 0);

    private record Pending(JournalEvent event, byte[] line) {}

    /** How a line reaches the file: tests put in one that fails like a full disk. */
    interface LineWriter {
        void write(RandomAccessFile file, byte[] line) throws IOException;
    }

    volatile LineWriter writer = RandomAccessFile::write;

    public Journal(Path dataDir, String node, Clock clock, ObjectMapper json, int tailSize) {
        this(dataDir, node, clock, json, tailSize, Settings.DEFAULTS);
    }

    public Journal(
            Path dataDir,
            String node,
            Clock clock,
            ObjectMapper json,
            int tailSize,
            Settings settings) {
        this.dir = dataDir;
        this.node = node;
        this.clock = clock;
        this.json = json;
        this.settings = settings;
        this.tailSize = Math.max(1, tailSize);
        // an unwritten event stays in memory until written: readers find it there
        this.unwrittenLimit = Math.min(settings.unwrittenLimit(), this.tailSize);
        this.file = dataDir.resolve(FILE);
        ScheduledThreadPoolExecutor ex =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "pharos-journal");
                            t.setDaemon(true);
                            return t;
                        });
        // a retry still waiting when the journal closes is not waited for
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.background = ex;
        // every event read at open is written
        this.written = Long.MAX_VALUE;
        try {
            Files.createDirectories(dataDir);
            recoverSegments();
            recover();
            this.out = new RandomAccessFile(file.toFile(), "rw");
        } catch (IOException e) {
            background.shutdownNow();
            throw new UncheckedIOException("cannot open the journal in " + dataDir, e);
        }
        written = seq;
        background.execute(this::compressAndRetain);
        interruptedApplies();
    }

    private void recoverSegments() throws IOException {
        List<Segment> found = new ArrayList<>();
        try (var list = Files.list(dir)) {
            for (Path p : list.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".gz.tmp")) {
                    Files.deleteIfExists(p); // a compression cut short
                    continue;
                }
                Matcher m = SEGMENT.matcher(name.replaceFirst("\\.gz$", ""));
                if (!m.matches()) {
                    continue;
                }
                Path gz = dir.resolve(m.group() + ".gz");
                if (!name.endsWith(".gz") && Files.exists(gz)) {
                    Files.delete(p); // compressed, the original not yet deleted
                    continue;
                }
                found.add(new Segment(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), p));
            }
        }
        found.sort(Comparator.comparingLong(Segment::first));
        files = new Segments(List.copyOf(found));
        if (!found.isEmpty()) {
            seq = found.get(found.size() - 1).last();
        }
    }

    private void recover() throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            size = 0;
            List<Segment> segs = files.segments();
            if (!segs.isEmpty()) {
                // the newest events (an apply intent without outcome) may be in the last segment
                readFile(segs.get(segs.size() - 1).path(), e -> remember(e), true);
            }
            return;
        }
        size = Files.size(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(size - 1);
            newlineFirst = f.read() != '\n';
        }
        readFile(
                file,
                e -> {
                    if (activeFirst == 0) {
                        activeFirst = e.seq();
                    }
                    remember(e);
                },
                true);
    }

    /**
     * Reads every event of one file, oldest first; unreadable lines are skipped (and logged when
     * {@code report}).
     */
    private void readFile(Path path, Consumer<JournalEvent> each, boolean report)
            throws IOException {
        try (InputStream raw = Files.newInputStream(path);
                InputStream in =
                        path.getFileName().toString().endsWith(".gz")
                                ? new GZIPInputStream(raw, 1 << 16)
                                : raw;
                BufferedReader r =
                        new BufferedReader(
                                new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> fields;
                try {
                    fields = json.readValue(line, LINE);
                } catch (IOException e) {
                    if (report) {
                        LOG.warnf(
                                "journal %s line %d is unreadable (torn write?); skipped",
                                path, lineNo);
                    }
                    continue;
                }
                if (report && fields.get("seq") instanceof Number n) {
                    seq = Math.max(seq, n.longValue());
                }
                try {
                    each.accept(JournalEvent.read(fields));
                } catch (IllegalArgumentException e) {
                    if (report) {
                        LOG.warnf(
                                "journal %s line %d is not an event this version knows (%s);"
                                        + " skipped",
                                path, lineNo, e.getMessage());
                    }
                }
            }
        }
    }

    /** An apply intent whose outcome is missing: the process died between the two. */
    private void interruptedApplies() {
        JournalEvent openIntent = null;
        String actuator = null;
        for (JournalEvent e : tail.values()) {
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

    /**
     * Where the writer's term comes from: while this instance writes under coordination, every line
     * it appends carries the term.
     */
    public void term(Supplier<OptionalLong> source) {
        this.term = source;
    }

    /**
     * Writes and fsyncs one event; returns its line, with its sequence number. If the disk fails,
     * the event is kept for a later write (see the class comment) and this still returns.
     */
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
            byte[] line;
            try {
                line = (json.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
            } catch (IOException ex) {
                // a bug, not the disk: never worth stopping the caller for
                LOG.error("journal: cannot serialise event " + e.seq() + "; not written", ex);
                line = null;
            }
            if (line != null) {
                unwritten.addLast(new Pending(e, line));
                if (unwritten.size() > unwrittenLimit) {
                    unwritten.removeFirst();
                    Health h = health;
                    health =
                            new Health(
                                    h.failing(),
                                    h.error(),
                                    h.failingSince(),
                                    unwritten.size(),
                                    h.dropped() + 1,
                                    h.writeFailures());
                }
            }
            remember(e);
            writeUnwritten();
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

    /** Writes what waits, in order; stops at the first failure and arms a retry. */
    private void writeUnwritten() {
        if (closed) {
            return;
        }
        while (!unwritten.isEmpty()) {
            Pending p = unwritten.peekFirst();
            try {
                write(p);
            } catch (IOException ex) {
                failed(ex);
                return;
            }
            unwritten.removeFirst();
        }
        written = seq;
        Health h = health;
        if (h.failing() || h.unwritten() > 0) {
            LOG.infof("journal %s is written again", file);
            health =
                    new Health(
                            false,
                            Optional.empty(),
                            Optional.empty(),
                            0,
                            h.dropped(),
                            h.writeFailures());
        }
        retryDelay = FIRST_RETRY;
        if (size >= settings.segmentBytes()) {
            rotate();
        }
        trimTail();
    }

    private void write(Pending p) throws IOException {
        if (out == null) {
            out = new RandomAccessFile(file.toFile(), "rw");
            size = out.length();
        }
        if (torn) {
            // a partial line from the failed write: cut it off, or end it if that fails
            try {
                out.setLength(size);
            } catch (IOException e) {
                size = out.length();
                newlineFirst = true;
            }
            torn = false;
        }
        out.seek(size);
        torn = true;
        if (newlineFirst) {
            out.write('\n');
        }
        writer.write(out, p.line());
        out.getFD().sync();
        torn = false;
        size += p.line().length + (newlineFirst ? 1 : 0);
        newlineFirst = false;
        if (activeFirst == 0) {
            activeFirst = p.event().seq();
        }
        written = p.event().seq();
    }

    private void failed(IOException ex) {
        Health h = health;
        if (!h.failing()) {
            LOG.errorf(
                    "journal %s cannot be written (%s); events are kept in memory (up to %d) and"
                            + " written when it can be",
                    file, ex.toString(), unwrittenLimit);
        }
        health =
                new Health(
                        true,
                        Optional.of(String.valueOf(ex.getMessage())),
                        h.failingSince().or(() -> Optional.of(clock.instant())),
                        unwritten.size(),
                        h.dropped(),
                        h.writeFailures() + 1);
        if (!retryArmed) {
            retryArmed = true;
            Duration delay = retryDelay;
            retryDelay =
                    retryDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0
                            ? MAX_RETRY
                            : retryDelay.multipliedBy(2);
            try {
                background.schedule(this::retry, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                retryArmed = false;
            }
        }
    }

    private synchronized void retry() {
        retryArmed = false;
        writeUnwritten();
    }

    /** Writes what waits now (tests; the retry timer does it on its own). */
    public synchronized Health flush() {
        writeUnwritten();
        return health;
    }

    /** Keeps the newest {@code tailSize} events in memory, and every event not written yet. */
    private void remember(JournalEvent e) {
        if (tail.put(e.seq(), e) == null) {
            tailCount++;
        }
        trimTail();
    }

    private void trimTail() {
        while (tailCount > tailSize) {
            Map.Entry<Long, JournalEvent> first = tail.firstEntry();
            if (first == null || first.getKey() > written) {
                return;
            }
            tail.remove(first.getKey());
            tailCount--;
        }
    }

    private void rotate() {
        long first = activeFirst;
        long last = written;
        Path segment = dir.resolve("journal." + first + "-" + last + ".jsonl");
        try {
            out.close();
        } catch (IOException e) {
            LOG.debug("closing the journal before rotating it failed", e);
        }
        // the next write opens the file again: the new one, or this one if it stays
        out = null;
        try {
            Files.move(file, segment, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf("journal %s: rotation failed (%s); going on in the same file", file, e);
            return;
        }
        syncDir();
        size = 0;
        activeFirst = 0;
        List<Segment> segs = new ArrayList<>(files.segments());
        segs.add(new Segment(first, last, segment));
        files = new Segments(List.copyOf(segs));
        try {
            background.execute(this::compressAndRetain);
        } catch (RejectedExecutionException e) {
            // closing: compressed at the next start
        }
    }

    /** On the background thread: compresses rotated segments, deletes those beyond retention. */
    private void compressAndRetain() {
        for (Segment s : files.segments()) {
            if (!s.compressed()) {
                compress(s);
            }
        }
        List<Segment> drop;
        synchronized (this) {
            List<Segment> segs = files.segments();
            int excess = segs.size() - settings.retainSegments();
            if (excess <= 0) {
                return;
            }
            drop = segs.subList(0, excess);
            files = new Segments(List.copyOf(segs.subList(excess, segs.size())));
        }
        for (Segment s : drop) {
            try {
                Files.deleteIfExists(s.path());
            } catch (IOException e) {
                LOG.warnf("journal: cannot delete %s: %s", s.path(), e);
            }
        }
    }

    private void compress(Segment s) {
        Path gz = s.path().resolveSibling(s.path().getFileName() + ".gz");
        Path tmp = s.path().resolveSibling(s.path().getFileName() + ".gz.tmp");
        try {
            try (InputStream in = Files.newInputStream(s.path());
                    var fo = new java.io.FileOutputStream(tmp.toFile());
                    OutputStream o = new GZIPOutputStream(fo, 1 << 16)) {
                in.transferTo(o);
                o.flush();
                ((GZIPOutputStream) o).finish();
                fo.getFD().sync();
            }
            Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE);
            syncDir();
        } catch (IOException e) {
            LOG.warnf("journal: cannot compress %s (%s); kept as it is", s.path(), e);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return;
        }
        synchronized (this) {
            List<Segment> segs = new ArrayList<>(files.segments());
            segs.replaceAll(x -> x.equals(s) ? new Segment(s.first(), s.last(), gz) : x);
            files = new Segments(List.copyOf(segs));
        }
        try {
            Files.delete(s.path());
        } catch (IOException e) {
            LOG.warnf("journal: cannot delete %s after compressing it: %s", s.path(), e);
        }
    }

    private void syncDir() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync the data directory", e);
        }
    }

    /**
     * Events matching {@code filter}, newest first, with seq below {@code before} (or the newest if
     * absent), at most {@code limit}. Older pages than the memory tail are read from the files.
     */
    public List<JournalEvent> page(Predicate<JournalEvent> filter, long before, int limit) {
        List<JournalEvent> out = new ArrayList<>();
        long lowest = before;
        for (Map.Entry<Long, JournalEvent> en :
                tail.headMap(before, false).descendingMap().entrySet()) {
            if (out.size() >= limit) {
                return out;
            }
            lowest = en.getKey();
            if (filter.test(en.getValue())) {
                out.add(en.getValue());
            }
        }
        // everything below the lowest event seen in memory is on disk
        if (out.size() < limit && lowest > 1) {
            out.addAll(scanOlder(filter, lowest, limit - out.size()));
        }
        return out;
    }

    /** Events matching {@code filter} with seq above {@code after}, oldest first. */
    public List<JournalEvent> since(Predicate<JournalEvent> filter, long after, int limit) {
        List<JournalEvent> newer = new ArrayList<>();
        long lowest = Long.MAX_VALUE;
        for (Map.Entry<Long, JournalEvent> en : tail.tailMap(after, false).entrySet()) {
            if (newer.size() >= limit) {
                break;
            }
            lowest = Math.min(lowest, en.getKey());
            if (filter.test(en.getValue())) {
                newer.add(en.getValue());
            }
        }
        if (lowest <= after + 1) {
            return newer;
        }
        long below = lowest;
        List<JournalEvent> out = new ArrayList<>();
        scan(
                (segs, active) -> {
                    out.clear();
                    List<Path> paths = new ArrayList<>();
                    for (Segment s : segs) {
                        if (s.last() > after && s.first() < below) {
                            paths.add(s.path());
                        }
                    }
                    if (Files.exists(active)) {
                        paths.add(active);
                    }
                    for (Path p : paths) {
                        if (out.size() >= limit) {
                            return;
                        }
                        readFile(
                                p,
                                e -> {
                                    if (out.size() < limit
                                            && e.seq() > after
                                            && e.seq() < below
                                            && filter.test(e)) {
                                        out.add(e);
                                    }
                                },
                                false);
                    }
                });
        for (JournalEvent e : newer) {
            if (out.size() >= limit) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    private List<JournalEvent> scanOlder(Predicate<JournalEvent> filter, long before, int limit) {
        List<JournalEvent> out = new ArrayList<>();
        scan(
                (segs, active) -> {
                    out.clear();
                    List<Path> paths = new ArrayList<>();
                    if (Files.exists(active)) {
                        paths.add(active);
                    }
                    for (int i = segs.size() - 1; i >= 0; i--) {
                        if (segs.get(i).first() < before) {
                            paths.add(segs.get(i).path());
                        }
                    }
                    for (Path p : paths) {
                        if (out.size() >= limit) {
                            return;
                        }
                        Deque<JournalEvent> newest = new ArrayDeque<>();
                        int want = limit - out.size();
                        readFile(
                                p,
                                e -> {
                                    if (e.seq() < before && filter.test(e)) {
                                        newest.addLast(e);
                                        if (newest.size() > want) {
                                            newest.removeFirst();
                                        }
                                    }
                                },
                                false);
                        newest.descendingIterator().forEachRemaining(out::add);
                    }
                });
        return out;
    }

    private interface FileRead {
        void read(List<Segment> segments, Path active) throws IOException;
    }

    /** Reads the files as one version of them; again if a rotation or compression overlapped. */
    private void scan(FileRead read) {
        for (int attempt = 0; ; attempt++) {
            Segments seen = files;
            try {
                read.read(seen.segments(), file);
                if (files == seen) {
                    return;
                }
            } catch (NoSuchFileException e) {
                // rotated, compressed or deleted meanwhile: read the new version of the files
                if (files == seen && !e.getFile().equals(file.toString())) {
                    throw new UncheckedIOException("journal segment missing", e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (attempt > 10) {
                return;
            }
        }
    }

    public synchronized long lastSeq() {
        return seq;
    }

    public Health health() {
        return health;
    }

    public Path file() {
        return file;
    }

    /** The rotated segments, oldest first (tests, the benchmark). */
    public List<Path> segments() {
        return files.segments().stream().map(Segment::path).toList();
    }

    @Override
    public void close() {
        synchronized (this) {
            writeUnwritten();
            closed = true;
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException e) {
                LOG.warn("closing the journal failed", e);
            }
        }
        background.shutdown();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
