package dev.pharos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real HAProxy ({@code haproxy -db}) with a configuration the test writes. */
public final class Haproxy implements AutoCloseable {
    private final Path dir;
    private final Process process;

    private Haproxy(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Starts HAProxy with the configuration text; {@code @DIR@} is replaced by its directory. */
    public static Haproxy start(String config) throws Exception {
        Path haproxy = Tools.require("haproxy", "haproxy");
        Path dir = Files.createTempDirectory("pharos-haproxy");
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config.replace("@DIR@", dir.toString()));
        Process check =
                new ProcessBuilder(haproxy.toString(), "-c", "-f", cfg.toString())
                        .redirectErrorStream(true)
                        .start();
        String checkOut = new String(check.getInputStream().readAllBytes());
        if (check.waitFor() != 0) {
            throw new IllegalStateException("haproxy -c failed: " + checkOut);
        }
        Process p =
                new ProcessBuilder(haproxy.toString(), "-db", "-f", cfg.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("haproxy.log").toFile())
                        .start();
        Haproxy h = new Haproxy(dir, p);
        try {
            for (String listener : listeners(Files.readString(cfg))) {
                Readiness.await(
                        "haproxy (" + cfg + ") listening on " + listener,
                        Duration.ofSeconds(10),
                        p,
                        h::log,
                        () -> accepts(listener));
            }
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /** Where a configuration has HAProxy listen: every {@code bind} and {@code stats socket}. */
    static List<String> listeners(String config) {
        List<String> out = new ArrayList<>();
        for (String line : config.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 1 && f[0].equals("bind")) {
                out.add(f[1]);
            } else if (f.length > 2 && f[0].equals("stats") && f[1].equals("socket")) {
                out.add(f[2]);
            }
        }
        return out;
    }

    /** A listener as HAProxy writes it: a Unix socket path, or [ipv4@]address:port. */
    private static boolean accepts(String listener) {
        String l = listener.startsWith("ipv4@") ? listener.substring(5) : listener;
        if (l.startsWith("/")) {
            return Readiness.acceptsUnix(Path.of(l));
        }
        int colon = l.lastIndexOf(':');
        String host = l.substring(0, colon);
        return Readiness.acceptsTcp(
                host.isEmpty() || host.equals("*") ? "127.0.0.1" : host,
                Integer.parseInt(l.substring(colon + 1)));
    }

    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("haproxy.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
