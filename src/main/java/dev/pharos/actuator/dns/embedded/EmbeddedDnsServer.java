package dev.pharos.actuator.dns.embedded;

import dev.pharos.config.IpLiterals;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The sockets of the embedded DNS server: UDP sockets and a TCP server per listen address, all on
 * one port. Queries are answered right on the event loop: answering is CPU-only work of a few
 * microseconds on an immutable snapshot, and handing it to a worker would cost more than it does.
 *
 * <p>UDP goes straight to Netty on Vert.x's event loops. With the native epoll transport (Vert.x's
 * {@code preferNativeTransport}, Quarkus's {@code quarkus.vertx.prefer-native-transport}) every
 * listen address gets one socket per event loop, up to one per core, bound with SO_REUSEPORT so
 * that the kernel spreads queries over them; each reads up to {@link #BATCH} datagrams per system
 * call (recvmmsg) and the answers to one read are flushed together (sendmmsg). Before binding such
 * a group on a fixed port, a plain socket is bound and closed: a port another process holds
 * (SO_REUSEPORT or not) is refused as it is without the group, instead of sharing its queries.
 * Without the native transport (another OS, or turned off) it is one NIO socket per address.
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

    /** Largest datagram read, as before (Netty's default): more than any real query. */
    static final int MAX_DATAGRAM = 2048;

    /** Datagrams read per system call with the native transport. */
    static final int BATCH = 16;

    private final List<Channel> udp = new ArrayList<>();
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
            List<EventLoop> loops = udpLoops();
            for (InetAddress address : listen) {
                String host = IpLiterals.toText(address);
                if (loops.size() > 1 && port != 0) {
                    refuseIfTaken(address, host);
                }
                for (EventLoop loop : loops) {
                    Channel channel = bindUdp(loop, address, loops.size() > 1, timeout, host);
                    udp.add(channel);
                    if (port == 0) {
                        port = ((InetSocketAddress) channel.localAddress()).getPort();
                    }
                }
                tcp.add(await(tcp(host).listen(), timeout, host, "tcp"));
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
        LOG.infof(
                "embedded DNS server listening on %s port %d (UDP and TCP; %d UDP socket%s per"
                        + " address, %s transport)",
                listen.stream().map(IpLiterals::toText).toList(),
                port,
                udpSocketsPerAddress(),
                udpSocketsPerAddress() == 1 ? "" : "s",
                vertx.isNativeTransportEnabled() ? "epoll" : "NIO");
    }

    /** UDP sockets bound per listen address (one per event loop with the native transport). */
    public synchronized int udpSocketsPerAddress() {
        return udp.size() / listen.size();
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
        List<ChannelFuture> closingUdp = new ArrayList<>();
        udp.forEach(c -> closingUdp.add(c.close()));
        tcp.forEach(s -> closing.add(s.close()));
        udp.clear();
        tcp.clear();
        try {
            for (ChannelFuture f : closingUdp) {
                if (!f.await(5, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a UDP socket did not close in 5 s");
                }
            }
            Future.join(new ArrayList<>(closing))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("embedded DNS server did not close cleanly: %s", e.toString());
        }
    }

    /**
     * The event loops that get a UDP socket each: one per core, at most one per loop, with the
     * native transport; a single one (any) without it, since NIO has no SO_REUSEPORT.
     */
    private List<EventLoop> udpLoops() {
        EventLoopGroup group = vertx.nettyEventLoopGroup();
        if (!vertx.isNativeTransportEnabled()) {
            return List.of(group.next());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            if (loops.size() < cores) {
                loops.add((EventLoop) e);
            }
        }
        return loops;
    }

    private Channel bindUdp(
            EventLoop loop, InetAddress address, boolean reusePort, Duration timeout, String host)
            throws Exception {
        InternetProtocolFamily family =
                address instanceof Inet6Address
                        ? InternetProtocolFamily.IPv6
                        : InternetProtocolFamily.IPv4;
        boolean epoll = vertx.isNativeTransportEnabled();
        Bootstrap b =
                new Bootstrap()
                        .group(loop)
                        .channelFactory(
                                () ->
                                        epoll
                                                ? new EpollDatagramChannel(family)
                                                : new NioDatagramChannel(family))
                        .handler(new UdpHandler());
        if (epoll) {
            b.option(EpollChannelOption.SO_REUSEPORT, reusePort)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(
                            ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(MAX_DATAGRAM * BATCH));
        } else {
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        ChannelFuture f = b.bind(new InetSocketAddress(address, port));
        if (!f.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            f.channel().close();
            throw new IllegalStateException("cannot listen on " + host + " udp: timed out");
        }
        if (!f.isSuccess()) {
            throw new IllegalStateException(
                    "cannot listen on " + host + " udp: " + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    /** A port in use fails here rather than joining another process's SO_REUSEPORT group. */
    private void refuseIfTaken(InetAddress address, String host) {
        try (java.net.DatagramSocket probe =
                new java.net.DatagramSocket(new InetSocketAddress(address, port))) {
            // free: closed at once, then bound by the group
        } catch (java.net.SocketException e) {
            throw new IllegalStateException(
                    "cannot listen on " + host + " udp: " + e.getMessage(), e);
        }
    }

    /**
     * Answers each datagram on its event loop; the answers to one read (a batch with the native
     * transport) go out in one flush.
     */
    private final class UdpHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            try {
                ByteBuf content = packet.content();
                byte[] query = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), query);
                InetSocketAddress sender = packet.sender();
                byte[] response = processor.handle(query, Transport.UDP, sender.getAddress());
                if (response != null) {
                    ctx.write(
                            new DatagramPacket(Unpooled.wrappedBuffer(response), sender),
                            ctx.voidPromise());
                }
            } finally {
                packet.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
            LOG.debugf("UDP socket error: %s", e.toString());
        }
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
