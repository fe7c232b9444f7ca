package dev.pharos.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waiting for a process that a test or a benchmark started to be ready: a bounded poll of the thing
 * itself (a port accepting connections, a socket, an answer) instead of a fixed sleep, which is too
 * short on a loaded machine and wasted on an idle one. A failure names what did not become ready,
 * and says so at once when the process exited meanwhile.
 */
public final class Readiness {
    private static final long POLL_MS = 20;

    private Readiness() {}

    /** One look at whether the thing is ready; an exception counts as not yet. */
    @FunctionalInterface
    public interface Check {
        boolean ready() throws Exception;
    }

    /** Polls {@code check} until it holds, or fails naming {@code what} after {@code within}. */
    public static void await(String what, Duration within, Check check) {
        await(what, within, null, () -> "", check);
    }

    /**
     * As {@link #await(String, Duration, Check)}, and fails as soon as {@code process} has exited;
     * a failure ends with {@code output} (the process's log, say).
     */
    public static void await(
            String what, Duration within, Process process, Supplier<String> output, Check check) {
        long end = System.nanoTime() + within.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (check.ready()) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(
                        what
                                + ": the process exited with status "
                                + process.exitValue()
                                + " before it was ready"
                                + tail(output));
            }
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException(
                        what
                                + ": not ready within "
                                + within.toMillis()
                                + " ms"
                                + (last == null ? "" : " (last check: " + last + ")")
                                + tail(output));
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Whether something accepts TCP connections at {@code host:port} right now. */
    public static boolean acceptsTcp(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts connections on the Unix socket {@code path} right now. */
    public static boolean acceptsUnix(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Supplier<String> output) {
        String text = output.get();
        return text == null || text.isBlank() ? "" : "; output:\n" + text;
    }
}
