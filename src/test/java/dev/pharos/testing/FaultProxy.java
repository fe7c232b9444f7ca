package dev.pharos.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS-over-TCP proxy on loopback that forwards to one upstream. While {@link #hold} is on,
 * dynamic updates (opcode UPDATE) are swallowed: the client waits for an answer that never comes,
 * as with a server that hangs, while queries still pass (dnsjava reuses TCP connections, so a proxy
 * that only held new connections would let an update through on an old one).
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final AtomicBoolean hold = new AtomicBoolean();
    private final AtomicInteger held = new AtomicInteger();
    private final List<Socket> heldSockets = new CopyOnWriteArrayList<>();
    private final AtomicBoolean delay = new AtomicBoolean();
    private final List<Delayed> delayed = new CopyOnWriteArrayList<>();

    /** An update kept back, and the connection to deliver it on. */
    private record Delayed(OutputStream out, byte[] frame) {}

    private final Thread acceptor;

    public FaultProxy(String ip, InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(ip, 0));
        acceptor = new Thread(this::accept, "fault-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public String hostPort() {
        return address().getAddress().getHostAddress() + ":" + address().getPort();
    }

    /**
     * While on, updates are swallowed; turning it off closes every connection (clients reconnect).
     */
    public void hold(boolean on) {
        hold.set(on);
        if (!on) {
            for (Socket s : heldSockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
            heldSockets.clear();
        }
    }

    /**
     * While on, updates are kept back on their open connections (the client waits for its answer)
     * until {@link #release}: a late update, as from a writer paused while it was being sent.
     */
    public void delay(boolean on) {
        delay.set(on);
    }

    /** Updates kept back now. */
    public int delayed() {
        return delayed.size();
    }

    /** Delivers every update kept back, in order, on its own connection; stops delaying. */
    public synchronized void release() throws IOException {
        delay.set(false);
        for (Delayed d : delayed) {
            synchronized (d.out()) {
                d.out().write(d.frame());
                d.out().flush();
            }
        }
        delayed.clear();
    }

    /** Updates swallowed since the start. */
    public int held() {
        return held.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket up = new Socket();
                up.connect(upstream, 2000);
                heldSockets.add(client);
                frames(client.getInputStream(), up.getOutputStream(), client, up);
                pipe(up.getInputStream(), client.getOutputStream(), client, up);
            } catch (IOException e) {
                // accept failed after close, or upstream down: drop this connection
            }
        }
    }

    /** Client to upstream, frame by frame (2-byte length prefix), swallowing updates while held. */
    private void frames(InputStream in, OutputStream out, Socket a, Socket b) {
        Thread t =
                new Thread(
                        () -> {
                            java.io.DataInputStream din = new java.io.DataInputStream(in);
                            try {
                                while (true) {
                                    int len = din.readUnsignedShort();
                                    byte[] msg = new byte[len];
                                    din.readFully(msg);
                                    int opcode = len > 2 ? (msg[2] >> 3) & 0x0f : -1;
                                    if (hold.get() && opcode == 5) {
                                        held.incrementAndGet();
                                        continue;
                                    }
                                    byte[] frame = new byte[len + 2];
                                    frame[0] = (byte) (len >> 8);
                                    frame[1] = (byte) len;
                                    System.arraycopy(msg, 0, frame, 2, len);
                                    if (delay.get() && opcode == 5) {
                                        delayed.add(new Delayed(out, frame));
                                        continue;
                                    }
                                    synchronized (out) {
                                        out.write(frame);
                                        out.flush();
                                    }
                                }
                            } catch (IOException e) {
                                // one side closed
                            } finally {
                                try {
                                    a.close();
                                    b.close();
                                } catch (IOException ignored) {
                                    // closing
                                }
                            }
                        },
                        "fault-proxy-frames");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Copies one direction; when either direction ends, both sockets close (request/response
     * traffic).
     */
    private static void pipe(InputStream in, OutputStream out, Socket a, Socket b) {
        Thread t =
                new Thread(
                        () -> {
                            byte[] buf = new byte[8192];
                            try {
                                int n;
                                while ((n = in.read(buf)) >= 0) {
                                    out.write(buf, 0, n);
                                    out.flush();
                                }
                            } catch (IOException e) {
                                // one side closed
                            } finally {
                                try {
                                    a.close();
                                    b.close();
                                } catch (IOException ignored) {
                                    // closing
                                }
                            }
                        },
                        "fault-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        hold(false);
    }
}
