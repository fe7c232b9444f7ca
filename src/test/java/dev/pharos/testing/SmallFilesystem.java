package dev.pharos.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small real filesystem that fills up: a tmpfs of a given size, mounted at a temporary directory
 * inside a mount namespace of its own ({@code unshare -m}), so nothing is mounted on the machine.
 * The namespace lives as long as a {@code sleep} in it; this JVM reaches the mount through that
 * process's root, {@code /proc/PID/root}. Needs root and {@code unshare} ({@link Tools#need}).
 */
public final class SmallFilesystem implements AutoCloseable {
    private final Process holder;
    private final Path root;

    private SmallFilesystem(Process holder, Path root) {
        this.holder = holder;
        this.root = root;
    }

    /** Mounts a tmpfs of {@code kib} KiB at {@code mountPoint} (an empty directory). */
    public static SmallFilesystem mount(Path mountPoint, int kib) throws IOException {
        Tools.requireRoot("mounting a tmpfs in a mount namespace");
        Path unshare = Tools.require("unshare", "util-linux");
        Process p =
                new ProcessBuilder(
                                unshare.toString(),
                                "-m",
                                "--propagation",
                                "private",
                                "--",
                                "sh",
                                "-c",
                                "mount -t tmpfs -o size="
                                        + kib
                                        + "k pharos-test \"$0\" && echo mounted && exec sleep 3600",
                                mountPoint.toAbsolutePath().toString())
                        .redirectErrorStream(true)
                        .start();
        BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = r.readLine();
        if (!"mounted".equals(first)) {
            p.destroyForcibly();
            Tools.need(false, "a tmpfs mounted in a mount namespace (unshare -m): " + first);
        }
        // unshare and sh exec: the pid is the sleep's, in the new namespace
        return new SmallFilesystem(
                p,
                Path.of("/proc/" + p.pid() + "/root")
                        .resolve(mountPoint.toAbsolutePath().toString().substring(1)));
    }

    /** The filesystem's root as this process reaches it. */
    public Path root() {
        return root;
    }

    /** Fills every free byte with {@code name}; returns its size. */
    public long fill(String name) throws IOException {
        byte[] block = new byte[4096];
        long n = 0;
        try (OutputStream o = Files.newOutputStream(root.resolve(name))) {
            while (true) {
                o.write(block);
                n += block.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return n;
    }

    @Override
    public void close() throws InterruptedException {
        holder.destroy();
        holder.waitFor(10, TimeUnit.SECONDS);
    }
}
