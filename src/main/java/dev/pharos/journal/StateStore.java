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
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * {@code state.json} in the data directory, replaced atomically on every change (write a temp file,
 * fsync it, rename over the old one, fsync the directory), so a crash leaves either the old or the
 * new state, never a torn one.
 */
public class StateStore {
    private static final Logger LOG = Logger.getLogger(StateStore.class);
    static final String FILE = "state.json";

    private final Path file;
    private final ObjectMapper json;
    private PersistedState state;

    public StateStore(Path dataDir, ObjectMapper json) {
        this.json = json;
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        this.file = dataDir.resolve(FILE);
        this.state = load();
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

    /** Applies the change and writes the result durably before returning it. */
    public synchronized PersistedState update(UnaryOperator<PersistedState> change) {
        PersistedState next = change.apply(state);
        if (next.equals(state)) {
            return state;
        }
        write(next);
        state = next;
        return next;
    }

    private void write(PersistedState s) {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try {
            byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(s);
            try (FileOutputStream o = new FileOutputStream(tmp.toFile())) {
                o.write(bytes);
                o.getFD().sync();
            }
            try {
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                LOG.debug("cannot fsync the data directory", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
