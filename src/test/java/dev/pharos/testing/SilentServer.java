package dev.pharos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A receiver that accepts connections and never answers: the worst kind of dead. */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public SilentServer(String address) {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getByName(address));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor =
                new Thread(
                        () -> {
                            while (!socket.isClosed()) {
                                try {
                                    held.add(socket.accept());
                                } catch (IOException e) {
                                    return;
                                }
                            }
                        },
                        "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Connections accepted (and held) so far. */
    public int connections() {
        return held.size();
    }

    /** An http URL on this server (path /hook). */
    public String url() {
        return "http://"
                + socket.getInetAddress().getHostAddress()
                + ":"
                + socket.getLocalPort()
                + "/hook";
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : held) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
