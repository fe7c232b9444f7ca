package dev.pharos.actuator.lb.haproxy;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.config.RuntimeEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The HAProxy runtime API (stats socket), over a Unix socket or TCP: one command per connection
 * (HAProxy closes it after answering when not in interactive mode), the answer read to the end and
 * checked for HAProxy's error texts, which become typed {@link ActuatorException}s: a missing
 * backend or server, a command the backend does not allow, or a refused permission are permanent
 * (the configuration is wrong); an unreachable socket or a timeout is retryable.
 */
public class HaproxyRuntime {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]+");

    private final RuntimeEndpoint endpoint;
    private final Duration timeout;

    public HaproxyRuntime(RuntimeEndpoint endpoint, Duration timeout) {
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    public RuntimeEndpoint endpoint() {
        return endpoint;
    }

    /** Sends one command and returns HAProxy's answer, or throws if the answer is an error. */
    public String execute(String command) throws ActuatorException {
        if (command.contains("\n") || command.contains(";")) {
            throw ActuatorException.permanent("one command per call: " + command, null);
        }
        String answer = send(command);
        check(command, answer);
        return answer;
    }

    private String send(String command) throws ActuatorException {
        CompletableFuture<String> f =
                CompletableFuture.supplyAsync(
                        () -> {
                            try (SocketChannel ch = open()) {
                                ch.write(
                                        ByteBuffer.wrap(
                                                (command + "\n").getBytes(StandardCharsets.UTF_8)));
                                ch.shutdownOutput();
                                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                                StringBuilder out = new StringBuilder();
                                while (ch.read(buf) >= 0) {
                                    buf.flip();
                                    out.append(StandardCharsets.UTF_8.decode(buf));
                                    buf.clear();
                                    if (out.length() > 8 * 1024 * 1024) {
                                        throw new IOException("answer larger than 8 MiB");
                                    }
                                }
                                return out.toString();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw ActuatorException.retryable(
                    "HAProxy runtime API "
                            + endpoint
                            + " timed out after "
                            + timeout.toMillis()
                            + " ms",
                    null);
        } catch (ExecutionException e) {
            Throwable c =
                    e.getCause() instanceof java.io.UncheckedIOException u
                            ? u.getCause()
                            : e.getCause();
            throw ActuatorException.retryable(
                    "HAProxy runtime API "
                            + endpoint
                            + " unreachable: "
                            + c.getClass().getSimpleName()
                            + " "
                            + c.getMessage(),
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ActuatorException.retryable("interrupted", e);
        }
    }

    private SocketChannel open() throws IOException {
        if (endpoint.address() instanceof InetSocketAddress inet) {
            SocketChannel ch = SocketChannel.open();
            ch.socket().connect(inet, (int) timeout.toMillis());
            return ch;
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(endpoint.address());
        return ch;
    }

    /**
     * HAProxy answers in plain text. A {@code show} command succeeds when its answer starts with
     * the format version line; any other command succeeds with an empty answer or one of the few
     * confirmations it prints. Anything else is HAProxy saying no ("No such server.", "Backend must
     * use a dynamic load balancing...", "Only servers in maintenance mode can be deleted.",
     * "Unknown command..."): the configuration or the request is wrong, so it is permanent.
     */
    static void check(String command, String answer) throws ActuatorException {
        String a = answer.strip();
        boolean ok;
        if (command.startsWith("show ")) {
            ok = a.isEmpty() || Character.isDigit(a.charAt(0)) || a.startsWith("#");
        } else {
            ok =
                    a.isEmpty()
                            || a.startsWith("IP changed from")
                            || a.startsWith("no need to change")
                            || a.startsWith("New server registered")
                            || a.startsWith("Server deleted");
        }
        if (!ok) {
            throw ActuatorException.permanent(
                    "HAProxy refused '" + command + "': " + firstLine(a), null);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** {@code show servers state BACKEND}. */
    public List<ServerState> servers(String backend) throws ActuatorException {
        String answer = execute("show servers state " + name(backend));
        List<ServerState> out = new ArrayList<>();
        for (String line : answer.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.matches("\\d+")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 7) {
                continue;
            }
            // be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state ... srv_port (18)
            int port = f.length > 18 ? parseInt(f[18]) : 0;
            out.add(new ServerState(f[1], f[3], f[4], port, parseInt(f[5]), parseInt(f[6])));
        }
        return out;
    }

    public ServerState server(String backend, String server) throws ActuatorException {
        for (ServerState s : servers(backend)) {
            if (s.name().equals(server)) {
                return s;
            }
        }
        throw ActuatorException.permanent("HAProxy: no server " + backend + "/" + server, null);
    }

    /** {@code set server B/S state ready|drain|maint}. */
    public void setState(String backend, String server, String state) throws ActuatorException {
        if (!List.of("ready", "drain", "maint").contains(state)) {
            throw new IllegalArgumentException(state);
        }
        execute("set server " + name(backend) + "/" + name(server) + " state " + state);
    }

    /** {@code set server B/S addr IP port PORT}. */
    public void setAddress(String backend, String server, String ip, int port)
            throws ActuatorException {
        execute(
                "set server "
                        + name(backend)
                        + "/"
                        + name(server)
                        + " addr "
                        + address(ip)
                        + " port "
                        + port);
    }

    /**
     * {@code add server B/S IP:PORT OPTIONS}: the backend must use a dynamic algorithm; the new
     * server starts in maintenance and inherits nothing from default-server.
     */
    public void addServer(String backend, String server, String ip, int port, String options)
            throws ActuatorException {
        if (options.contains("\n") || options.contains(";")) {
            throw new IllegalArgumentException(options);
        }
        String a = ip.contains(":") ? "[" + address(ip) + "]" : address(ip);
        execute(
                ("add server "
                                + name(backend)
                                + "/"
                                + name(server)
                                + " "
                                + a
                                + ":"
                                + port
                                + " "
                                + options)
                        .trim());
    }

    /** {@code del server B/S} (the server must be in maintenance). */
    public void deleteServer(String backend, String server) throws ActuatorException {
        execute("del server " + name(backend) + "/" + name(server));
    }

    private static String name(String n) {
        if (!NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("not a backend or server name: " + n);
        }
        return n;
    }

    private static String address(String ip) {
        if (!ip.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        return ip;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
