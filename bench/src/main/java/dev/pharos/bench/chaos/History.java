package dev.pharos.bench.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The soak's history, one JSON object a line, each with its kind {@code k} and its moment {@code t}
 * (epoch milliseconds, this JVM's clock; a query has {@code s}, sent, and {@code r}, received):
 * every query, every fault and heal, every region's death and return (as the soak observed it),
 * every drain and undrain acknowledged, every journal comparison. {@link ChaosCheck} reads it back.
 */
final class History implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;
    private long lastFlush = System.nanoTime();

    History(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode entry(String kind, long t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("k", kind);
        n.put("t", t);
        return n;
    }

    synchronized void add(ObjectNode n) {
        try {
            out.write(JSON.writeValueAsString(n));
            out.write('\n');
            if (!"q".equals(n.path("k").asText())
                    || System.nanoTime() - lastFlush > 1_000_000_000L) {
                out.flush();
                lastFlush = System.nanoTime();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
