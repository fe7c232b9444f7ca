package dev.pharos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Thread.sleep(300);
        if (!p.isAlive()) {
            throw new IllegalStateException(
                    "haproxy exited: " + Files.readString(dir.resolve("haproxy.log")));
        }
        return new Haproxy(dir, p);
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
