package dev.pharos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free ports on a loopback address. */
public final class Ports {
    private Ports() {}

    /** A port free for both TCP and UDP on {@code ip} (DNS servers need both). */
    public static int freeUdpAndTcp(String ip) {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
                int port = s.getLocalPort();
                try (DatagramSocket d =
                        new DatagramSocket(
                                new InetSocketAddress(InetAddress.getByName(ip), port))) {
                    return port;
                } catch (IOException e) {
                    // UDP port taken; try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port on " + ip);
    }

    public static int freeTcp(String ip) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
