package dev.pharos.bench.quorum;

import dev.pharos.testing.LoopbackHttpServer;

/**
 * A region's server as a process of its own, so a benchmark can stop it with SIGSTOP (a server that
 * hangs: connections are still accepted by the kernel, nothing answers) or kill it (refused).
 * Usage: {@code RegionServerMain ADDRESS PORT NAME}, on the benchmark's classpath.
 */
public final class RegionServerMain {
    private RegionServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        LoopbackHttpServer server =
                new LoopbackHttpServer(args[0], args[2], Integer.parseInt(args[1])).start();
        System.out.println("listening on " + args[0] + ":" + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
