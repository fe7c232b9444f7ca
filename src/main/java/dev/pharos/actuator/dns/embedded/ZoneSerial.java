package dev.pharos.actuator.dns.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * SOA serials: each one is max(previous + 1, now in Unix seconds), so they increase on every
 * change, stay close to the clock (several instances serving the same zone agree roughly, and an
 * operator can read the time of the last change), and survive a restart: the last one is kept in a
 * file, and without it the clock alone is ahead of any serial the previous run could have used,
 * unless that run changed the zone more than once a second on average.
 */
public final class ZoneSerial {
    private static final Logger LOG = Logger.getLogger(ZoneSerial.class);
    private static final long MASK = 0xFFFFFFFFL;

    private final Clock clock;
    private final Optional<Path> file;

    /**
     * @param file where the last serial is kept (empty: not kept)
     */
    public ZoneSerial(Clock clock, Optional<Path> file) {
        this.clock = clock;
        this.file = file;
    }

    /** The first serial of this run. */
    public long first() {
        return next(stored().orElse(0L));
    }

    /** The serial after {@code previous}; stored before it is returned. */
    public long next(long previous) {
        long serial = Math.max(previous + 1, clock.instant().getEpochSecond()) & MASK;
        store(serial);
        return serial;
    }

    Optional<Long> stored() {
        if (file.isEmpty() || !Files.exists(file.get())) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    Long.parseLong(Files.readString(file.get(), StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            LOG.warnf("ignoring unreadable SOA serial file %s: %s", file.get(), e.toString());
            return Optional.empty();
        }
    }

    private void store(long serial) {
        if (file.isEmpty()) {
            return;
        }
        Path f = file.get();
        try {
            Path dir = f.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, f.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, serial + "\n", StandardCharsets.US_ASCII);
                Files.move(
                        tmp,
                        f,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } finally {
                // a full disk must not collect a temporary file per change
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            // serving the change matters more than remembering its serial
            LOG.warnf("cannot store the SOA serial in %s: %s", f, e.toString());
        }
    }
}
