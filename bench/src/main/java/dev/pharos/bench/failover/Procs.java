package dev.pharos.bench.failover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every process the benchmark starts, by name, with its PID in {@code pids/<name>} and its output
 * in {@code logs/<name>.log}. {@code run.sh} kills whatever is still listed in {@code pids/} when
 * it exits, so nothing outlives a run even if this JVM is killed; {@link #close} stops everything
 * by PID (never by process name).
 */
final class Procs implements AutoCloseable {
    private final Path pids;
    private final Path logs;
    private final Map<String, Process> running = new ConcurrentHashMap<>();

    Procs(Path work) {
        this.pids = work.resolve("pids");
        this.logs = work.resolve("logs");
        try {
            Files.createDirectories(pids);
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Process start(String name, List<String> command) {
        return start(name, command, Map.of());
    }

    Process start(String name, List<String> command, Map<String, String> env) {
        if (alive(name)) {
            throw new IllegalStateException(name + " is already running");
        }
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            running.put(name, p);
            Files.writeString(pids.resolve(name), p.pid() + "\n");
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    Path log(String name) {
        return logs.resolve(name + ".log");
    }

    boolean alive(String name) {
        Process p = running.get(name);
        return p != null && p.isAlive();
    }

    long pid(String name) {
        Process p = running.get(name);
        if (p == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return p.pid();
    }

    /** SIGKILL (a crash, or a port that refuses from now on), and wait for it to be gone. */
    void kill(String name) {
        Process p = running.remove(name);
        if (p == null) {
            return;
        }
        p.destroyForcibly(); // SIGKILL also ends a stopped process
        waitFor(p, 10);
        forget(name);
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    void stop(String name) {
        Process p = running.remove(name);
        if (p == null) {
            return;
        }
        signalQuietly(p.pid(), "CONT");
        p.destroy();
        if (!waitFor(p, 5)) {
            p.destroyForcibly();
            waitFor(p, 5);
        }
        forget(name);
    }

    /** Sends a signal (STOP, CONT, USR1, USR2) by PID. */
    void signal(String name, String signal) {
        long pid = pid(name);
        if (!signalQuietly(pid, signal)) {
            throw new IllegalStateException(
                    "kill -" + signal + " " + pid + " (" + name + ") failed");
        }
    }

    private static boolean signalQuietly(long pid, String signal) {
        try {
            Process k =
                    new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            return k.waitFor(5, TimeUnit.SECONDS) && k.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean waitFor(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void forget(String name) {
        try {
            Files.deleteIfExists(pids.resolve(name));
        } catch (IOException ignored) {
            // run.sh would find a dead PID, which it skips
        }
    }

    @Override
    public void close() {
        List<String> names = new ArrayList<>(running.keySet());
        // Pharos first (it would otherwise log every region dying as the rest stops)
        names.sort((a, b) -> Boolean.compare(!a.startsWith("pharos"), !b.startsWith("pharos")));
        names.parallelStream().forEach(this::stop);
    }
}
