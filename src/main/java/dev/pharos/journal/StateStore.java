package dev.pharos.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * {@code state.json} in the data directory, replaced atomically on every change (write a temp file,
 * fsync it, rename over the old one, fsync the directory), so a crash leaves either the old or the
 * new state, never a torn one.
 *
 * <p>A write that fails (a full disk, EIO) never fails the change: the new state is kept and used
 * in memory, {@link #health} says the file is behind, and it is written by the next change or a
 * retry with backoff. Failover must not wait for the disk.
 */
public class StateStore {
    private static final Logger LOG = Logger.getLogger(StateStore.class);
    static final String FILE = "state.json";
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    /**
     * Whether {@code state.json} holds the current state.
     *
     * @param failing the last write failed: the file is behind the state in memory
     * @param error the last write's error, while failing
     * @param failingSince when writing started failing, while failing
     * @param writeFailures failed writes since start
     */
    public record Health(
            boolean failing,
            Optional<String> error,
            Optional<Instant> failingSince,
            long writeFailures) {}

    private final Path file;
    private final ObjectMapper json;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor retries;
    private PersistedState state;
    private boolean behind;
    private boolean retryArmed;
    private Duration retryDelay = FIRST_RETRY;
    private volatile Health health = new Health(false, Optional.empty(), Optional.empty(), 0);

    public StateStore(Path dataDir, ObjectMapper json) {
        this(dataDir, json, Clock.systemUTC());
    }

    public StateStore(Path dataDir, ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        this.file = dataDir.resolve(FILE);
        this.state = load();
        this.retries =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "pharos-state-retry");
                            t.setDaemon(true);
                            return t;
                        });
        retries.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    private PersistedState load() {
        if (!Files.exists(file)) {
            return PersistedState.empty();
        }
        try {
            PersistedState s = json.readValue(file.toFile(), PersistedState.class);
            if (s.version() != PersistedState.VERSION) {
                throw new IllegalStateException(
                        file
                                + " has version "
                                + s.version()
                                + ", expected "
                                + PersistedState.VERSION);
            }
            return fill(s);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read "
                            + file
                            + "; move it aside to start without the saved drains and state",
                    e);
        }
    }

    private static PersistedState fill(PersistedState s) {
        PersistedState e = PersistedState.empty();
        return new PersistedState(
                s.version(),
                s.drains() == null ? e.drains() : s.drains(),
                s.decision() == null ? e.decision() : s.decision(),
                s.verdicts() == null ? e.verdicts() : s.verdicts(),
                s.desiredRecords() == null ? e.desiredRecords() : s.desiredRecords(),
                s.actions() == null ? e.actions() : s.actions());
    }

    public synchronized PersistedState get() {
        return state;
    }

    /**
     * Applies the change and writes the result durably before returning it; if the write fails, the
     * result is returned all the same and written later (see the class comment).
     */
    public synchronized PersistedState update(UnaryOperator<PersistedState> change) {
        PersistedState next = change.apply(state);
        if (next.equals(state)) {
            return state;
        }
        state = next;
        behind = true;
        persist();
        return next;
    }

    /**
     * Applies the change in memory only: the file is behind until the next {@link #update}, {@link
     * #flush} or retry writes the whole state. For a change that must not hold up what follows it
     * (the pipeline's verdicts, written with the desired state or at the end of the step, after the
     * actuators were offered the new state); a crash before that write loses it as a failed write
     * would.
     */
    public synchronized PersistedState stage(UnaryOperator<PersistedState> change) {
        PersistedState next = change.apply(state);
        if (!next.equals(state)) {
            state = next;
            behind = true;
        }
        return state;
    }

    public Health health() {
        return health;
    }

    /**
     * Writes the state now if the file is behind (after {@link #stage}; a failed write's retry does
     * it on its own).
     */
    public synchronized Health flush() {
        if (behind) {
            persist();
        }
        return health;
    }

    private void persist() {
        try {
            write(state);
        } catch (IOException e) {
            Health h = health;
            if (!h.failing()) {
                LOG.errorf(
                        "cannot write %s (%s); the state is kept in memory and written when it can"
                                + " be",
                        file, e.toString());
            }
            health =
                    new Health(
                            true,
                            Optional.of(String.valueOf(e.getMessage())),
                            h.failingSince().or(() -> Optional.of(clock.instant())),
                            h.writeFailures() + 1);
            armRetry();
            return;
        }
        behind = false;
        retryDelay = FIRST_RETRY;
        Health h = health;
        if (h.failing()) {
            LOG.infof("%s is written again", file);
            health = new Health(false, Optional.empty(), Optional.empty(), h.writeFailures());
        }
    }

    private void armRetry() {
        if (retryArmed) {
            return;
        }
        retryArmed = true;
        Duration delay = retryDelay;
        Duration doubled = retryDelay.multipliedBy(2);
        retryDelay = doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
        try {
            retries.schedule(this::retry, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            retryArmed = false;
        }
    }

    private synchronized void retry() {
        retryArmed = false;
        if (behind) {
            persist();
        }
    }

    private void write(PersistedState s) throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(s);
        try (FileOutputStream o = new FileOutputStream(tmp.toFile())) {
            o.write(bytes);
            o.getFD().sync();
        } catch (IOException e) {
            // a partial temp file would only take room the retry needs
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the retry writes it again
            }
            throw e;
        }
        try {
            Files.move(
                    tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync the data directory", e);
        }
    }

    /** Stops the retries (a state still behind is written by nobody). */
    public void close() {
        retries.shutdownNow();
    }
}
