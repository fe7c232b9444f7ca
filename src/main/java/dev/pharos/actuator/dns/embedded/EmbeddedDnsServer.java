package dev.pharos.actuator.dns.embedded;

import dev.pharos.config.IpLiterals;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The sockets of the embedded DNS server: a UDP socket and a TCP server per listen address, all on
 * one port. Queries are answered right on the event loop: answering is CPU-only work of a few
 * microseconds on an immutable snapshot, and handing it to a worker would cost more than it does.
 *
 * <p>TCP (RFC 7766): messages are framed by a two-byte length and may arrive split across reads or
 * several in one read; every query on a connection is answered in order; a connection with no
 * traffic for the idle timeout is closed, and at most {@code maxConnections} are open at once
 * (further ones are closed on accept) so that idle connections cannot exhaust the server.
 */
public final class EmbeddedDnsServer {
    private static final Logger LOG = Logger.getLogger(EmbeddedDnsServer.class);

    private final Vertx vertx;
    private final List<InetAddress> listen;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final QueryProcessor processor;
    private final List<DatagramSocket> udp = new ArrayList<>();
    private final List<NetServer> tcp = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private int port;

    /**
     * @param port the port for every address; 0 picks a free one (the first UDP socket's), for
     *     tests
     */
    public EmbeddedDnsServer(
            Vertx vertx,
            List<InetAddress> listen,
            int port,
            Duration idleTimeout,
            int maxConnections,
            QueryProcessor processor) {
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("no listen address");
        }
        this.vertx = vertx;
        this.listen = List.copyOf(listen);
        this.port = port;
        this.idleTimeout = idleTimeout;
        this.maxConnections = maxConnections;
        this.processor = processor;
    }

    /** Binds every socket, waiting up to {@code timeout}; not for an event-loop thread. */
    public synchronized void start(Duration timeout) throws Exception {
        try {
            for (InetAddress address : listen) {
                String host = IpLiterals.toText(address);
                DatagramSocket socket =
                        await(udp(address).listen(port, host), timeout, host, "udp");

                udp.add(socket);
                if (port == 0) {
                    port = socket.localAddress().port();
                }
                tcp.add(await(tcp(host).listen(), timeout, host, "tcp"));
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
        LOG.infof(
                "embedded DNS server listening on %s port %d (UDP and TCP)",
                listen.stream().map(IpLiterals::toText).toList(), port);
    }

    /** The port every socket listens on. */
    public synchronized int port() {
        return port;
    }

    /** Open TCP connections. */
    public int connections() {
        return connections.get();
    }

    /** TCP connections accepted since start (whether kept or closed at once). */
    public long accepted() {
        return accepted.get();
    }

    public synchronized void stop() {
        List<Future<Void>> closing = new ArrayList<>();
        udp.forEach(s -> closing.add(s.close()));
        tcp.forEach(s -> closing.add(s.close()));
        udp.clear();
        tcp.clear();
        try {
            Future.join(new ArrayList<>(closing))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("embedded DNS server did not close cleanly: %s", e.toString());
        }
    }

    private DatagramSocket udp(InetAddress address) {
        // No receive-buffer size: Vert.x would also make every read allocate (and zero) a buffer
        // of that size. Netty's default of 2048 bytes per datagram holds any real query.
        DatagramSocket socket =
                vertx.createDatagramSocket(
                        new DatagramSocketOptions().setIpV6(address instanceof Inet6Address));
        socket.handler(
                packet -> {
                    byte[] response =
                            processor.handle(
                                    packet.data().getBytes(),
                                    Transport.UDP,
                                    packet.sender().hostAddress());
                    if (response != null) {
                        socket.send(
                                Buffer.buffer(response),
                                packet.sender().port(),
                                packet.sender().hostAddress());
                    }
                });
        socket.exceptionHandler(e -> LOG.debugf("UDP socket error: %s", e.toString()));
        return socket;
    }

    private NetServer tcp(String host) {
        NetServer server =
                vertx.createNetServer(
                        new NetServerOptions()
                                .setHost(host)
                                .setPort(port)
                                .setTcpNoDelay(true)
                                .setIdleTimeout((int) idleTimeout.toMillis())
                                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
        server.connectHandler(this::connected);
        server.exceptionHandler(e -> LOG.debugf("TCP error: %s", e.toString()));
        return server;
    }

    private void connected(NetSocket socket) {
        accepted.incrementAndGet();
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            socket.close();
            return;
        }
        socket.closeHandler(v -> connections.decrementAndGet());
        socket.exceptionHandler(e -> socket.close());
        String client = socket.remoteAddress().hostAddress();
        RecordParser parser = RecordParser.newFixed(2);
        parser.handler(
                new Handler<>() {
                    private boolean inMessage;
                    private boolean closed;

                    @Override
                    public void handle(Buffer chunk) {
                        if (closed) {
                            return; // the rest of a read that already broke the framing
                        }
                        if (!inMessage) {
                            int length = chunk.getUnsignedShort(0);
                            if (length < Wire.HEADER) {
                                // no DNS message is that short: the stream is not DNS, or lost
                                // its framing, and nothing after this point can be trusted
                                closed = true;
                                socket.close();
                                return;
                            }
                            inMessage = true;
                            parser.fixedSizeMode(length);
                            return;
                        }
                        inMessage = false;
                        parser.fixedSizeMode(2);
                        byte[] response = processor.handle(chunk.getBytes(), Transport.TCP, client);
                        if (response == null) {
                            return;
                        }
                        socket.write(
                                Buffer.buffer(response.length + 2)
                                        .appendUnsignedShort(response.length)
                                        .appendBytes(response));
                        if (socket.writeQueueFull()) {
                            // a client that does not read its answers stops being read
                            socket.pause();
                            socket.drainHandler(d -> socket.resume());
                        }
                    }
                });
        socket.handler(parser);
    }

    private static <T> T await(Future<T> f, Duration timeout, String host, String proto)
            throws Exception {
        try {
            return f.toCompletionStage()
                    .toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(
                    "cannot listen on " + host + " " + proto + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
