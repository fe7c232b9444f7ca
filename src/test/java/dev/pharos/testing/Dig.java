package dev.pharos.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** The real {@code dig}, for reading what a DNS server serves. */
public final class Dig {
    private Dig() {}

    /** The sorted values {@code dig +short} prints for name/type at the server. */
    public static TreeSet<String> query(
            InetSocketAddress server, String name, String type, String... extra) {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Tools.require("dig", "bind9-dnsutils").toString(),
                                "@" + server.getAddress().getHostAddress(),
                                "-p",
                                String.valueOf(server.getPort()),
                                "+short",
                                "+time=2",
                                "+tries=1",
                                name,
                                type));
        cmd.addAll(List.of(extra));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("dig failed: " + out);
            }
            TreeSet<String> values = new TreeSet<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank() && !line.startsWith(";")) {
                    values.add(line.trim());
                }
            }
            return values;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
