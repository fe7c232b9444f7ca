package dev.pharos.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Packet filtering for fault injection: one nftables table of this test process's own ({@code inet
 * pharos_it_<pid>}) with one output-hook chain. On loopback every packet passes the output hook, so
 * a rule matching source and destination addresses cuts exactly one path. The table is deleted on
 * {@link #close}, and tables left behind by dead test processes are deleted on start.
 */
public final class Nft implements AutoCloseable {
    private static final String PREFIX = "pharos_it_";
    private final String table = PREFIX + ProcessHandle.current().pid();
    private final Thread cleanup = new Thread(this::deleteQuietly, "nft-cleanup");

    /** Why nftables cannot be used here, or null if it can. */
    public static String unavailable() {
        try {
            Result r = run(List.of("nft", "list", "tables"));
            return r.code == 0 ? null : "nft list tables failed: " + r.output.strip();
        } catch (IOException e) {
            return "nft is not installed (" + e.getMessage() + ")";
        }
    }

    public Nft() {
        deleteStaleTables();
        exec("add", "table", "inet", table);
        exec(
                "add",
                "chain",
                "inet",
                table,
                "out",
                "{ type filter hook output priority 0; policy accept; }");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Drops every packet from {@code source} to any of {@code destinations} on these ports. */
    public void drop(String source, List<String> destinations, List<Integer> ports) {
        List<String> rule = new ArrayList<>(List.of("add", "rule", "inet", table, "out"));
        rule.addAll(List.of("ip", "saddr", source, "ip", "daddr", set(destinations)));
        rule.addAll(List.of("tcp", "dport", set(ports.stream().map(String::valueOf).toList())));
        rule.add("drop");
        exec(rule.toArray(String[]::new));
    }

    /**
     * Drops a random share ({@code tenths} in ten) of the packets from any of {@code sources} to
     * {@code destination}:{@code port}: packet loss on one path, not a cut.
     */
    public void dropShare(List<String> sources, String destination, int port, int tenths) {
        exec(
                "add",
                "rule",
                "inet",
                table,
                "out",
                "ip",
                "saddr",
                set(sources),
                "ip",
                "daddr",
                destination,
                "tcp",
                "dport",
                String.valueOf(port),
                "numgen",
                "random",
                "mod",
                "10",
                "<",
                String.valueOf(tenths),
                "drop");
    }

    /** Removes every rule this test added. */
    public void clear() {
        exec("flush", "chain", "inet", table, "out");
    }

    public String table() {
        return table;
    }

    @Override
    public void close() {
        deleteQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    private void deleteQuietly() {
        try {
            run(List.of("nft", "delete", "table", "inet", table));
        } catch (IOException ignored) {
            // nothing to delete
        }
    }

    private static void deleteStaleTables() {
        try {
            for (String line : run(List.of("nft", "list", "tables")).output.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[0].equals("table") && f[2].startsWith(PREFIX)) {
                    long pid = Long.parseLong(f[2].substring(PREFIX.length()));
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue; // another test run, still going
                    }
                    run(List.of("nft", "delete", "table", f[1], f[2]));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // best effort
        }
    }

    private static String set(List<String> items) {
        return items.size() == 1 ? items.get(0) : "{ " + String.join(", ", items) + " }";
    }

    private static void exec(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("nft");
        cmd.addAll(List.of(args));
        try {
            Result r = run(cmd);
            if (r.code != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + ": " + r.output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd), e);
        }
    }

    private record Result(int code, String output) {}

    private static Result run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
