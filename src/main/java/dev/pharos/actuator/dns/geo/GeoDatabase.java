package dev.pharos.actuator.dns.geo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The operator's location database, re-read when its file changes (size, modification time or file
 * key): replace it (write a new file and rename it over the old one) and the next {@link #refresh}
 * serves it, without a restart. A file that cannot be read keeps the database served before.
 * Without a file, every location is unknown ({@link GeoLocator#NONE}).
 */
public final class GeoDatabase implements Supplier<GeoLocator> {
    private static final Logger LOG = Logger.getLogger(GeoDatabase.class);

    private final Optional<Path> file;
    private volatile MaxMindLocator current;
    private volatile Instant built;
    private volatile Info info;
    private Object stamp;

    /**
     * The database served: its file, build date, type (metadata's database_type) and the SHA-256 of
     * the file as read, which vantage points compare.
     */
    public record Info(String file, Instant built, String type, String sha256) {}

    public GeoDatabase(Optional<Path> file) {
        this.file = file;
    }

    public Optional<Path> file() {
        return file;
    }

    /** Reads the file now; at start-up, where a database that does not open stops the server. */
    public synchronized void load() throws IOException {
        if (file.isEmpty()) {
            return;
        }
        Object s = stamp(file.get());
        read();
        stamp = s;
    }

    private void read() throws IOException {
        byte[] bytes = Files.readAllBytes(file.get());
        MaxMindLocator l = MaxMindLocator.open(bytes);
        info = new Info(file.get().toString(), l.built(), l.type(), sha256(bytes));
        current = l;
        built = l.built();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The database served, once one is read. */
    public Optional<Info> info() {
        return Optional.ofNullable(info);
    }

    /**
     * Reads the file again if it changed since it was read.
     *
     * @return whether a new database is served
     */
    public synchronized boolean refresh() {
        if (file.isEmpty()) {
            return false;
        }
        try {
            Object s = stamp(file.get());
            if (s.equals(stamp)) {
                return false;
            }
            read();
            stamp = s;
            LOG.infof("location database %s re-read (built %s)", file.get(), built);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warnf(
                    "location database %s not re-read, still serving the one read before: %s",
                    file.get(), e.getMessage());
            return false;
        }
    }

    /** The database's build date, once one is read. */
    public Optional<Instant> built() {
        return Optional.ofNullable(built);
    }

    @Override
    public GeoLocator get() {
        MaxMindLocator l = current;
        return l == null ? GeoLocator.NONE : l;
    }

    private static Object stamp(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return a.size() + "/" + a.lastModifiedTime().toMillis() + "/" + a.fileKey();
    }
}
