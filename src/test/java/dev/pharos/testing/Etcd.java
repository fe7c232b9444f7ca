package dev.pharos.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real etcd cluster (Debian's etcd-server) of three members on loopback: member i listens on
 * 127.0.94.i, on free ports, with its data in a temporary directory. Members can be killed and
 * started again (same data), so a test can take one away, or two (quorum lost).
 */
public final class Etcd implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path etcd;
    private final Path dir;
    private final List<Member> members = new ArrayList<>();

    private static final class Member {
        final String name;
        final String ip;
        final int client;
        final int peer;
        Process process;

        Member(String name, String ip, int client, int peer) {
            this.name = name;
            this.ip = ip;
            this.client = client;
            this.peer = peer;
        }

        String clientUrl() {
            return "http://" + ip + ":" + client;
        }

        String peerUrl() {
            return "http://" + ip + ":" + peer;
        }
    }

    private Etcd(Path etcd, Path dir) {
        this.etcd = etcd;
        this.dir = dir;
    }

    /** Starts three members and waits until the cluster answers with a leader. */
    public static Etcd startThree() throws Exception {
        Path bin = Tools.require("etcd", "etcd-server");
        Etcd e = new Etcd(bin, Files.createTempDirectory("pharos-etcd"));
        for (int i = 1; i <= 3; i++) {
            String ip = "127.0.94." + i;
            e.members.add(new Member("m" + i, ip, Ports.freeTcp(ip), Ports.freeTcp(ip)));
        }
        try {
            for (int i = 1; i <= 3; i++) {
                e.start(i);
            }
            e.awaitHealthy(Duration.ofSeconds(60));
        } catch (Exception ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    /** The members' client URLs, for {@code pharos.coordination.etcd.endpoints}. */
    public List<String> endpoints() {
        return members.stream().map(Member::clientUrl).toList();
    }

    /** Starts member i (counted from 1) with its data directory as it was. */
    public synchronized void start(int i) throws IOException {
        Member m = members.get(i - 1);
        if (m.process != null && m.process.isAlive()) {
            return;
        }
        StringBuilder cluster = new StringBuilder();
        for (Member o : members) {
            if (cluster.length() > 0) {
                cluster.append(',');
            }
            cluster.append(o.name).append('=').append(o.peerUrl());
        }
        Path data = dir.resolve(m.name);
        boolean fresh = !Files.isDirectory(data);
        List<String> cmd =
                List.of(
                        etcd.toString(),
                        "--name=" + m.name,
                        "--data-dir=" + data,
                        "--listen-client-urls=" + m.clientUrl(),
                        "--advertise-client-urls=" + m.clientUrl(),
                        "--listen-peer-urls=" + m.peerUrl(),
                        "--initial-advertise-peer-urls=" + m.peerUrl(),
                        "--initial-cluster=" + cluster,
                        "--initial-cluster-token=pharos-test",
                        "--initial-cluster-state=" + (fresh ? "new" : "existing"),
                        // loopback round trips: etcd's defaults (100 ms, 1 s)
                        "--heartbeat-interval=100",
                        "--election-timeout=1000",
                        "--logger=zap",
                        "--log-level=warn");
        m.process =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve(m.name + ".log").toFile()))
                        .start();
    }

    /** Kills member i (counted from 1) as a crash would. */
    public synchronized void kill(int i) throws InterruptedException {
        Member m = members.get(i - 1);
        if (m.process != null) {
            m.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            m.process = null;
        }
    }

    /**
     * Sends member i (counted from 1) a signal ({@code STOP}, {@code CONT}) if it runs; false if it
     * does not.
     */
    public synchronized boolean signal(int i, String signal)
            throws IOException, InterruptedException {
        Member m = members.get(i - 1);
        if (m.process == null || !m.process.isAlive()) {
            return false;
        }
        Process k =
                new ProcessBuilder("kill", "-" + signal, String.valueOf(m.process.pid())).start();
        return k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0;
    }

    /** Whether member i answers its health check as healthy (it has a leader). */
    public boolean healthy(int i) {
        try {
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create(members.get(i - 1).clientUrl() + "/health"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The member (counted from 1) that is raft leader now, asked through etcd's JSON gateway; 0
     * when no running member names itself leader.
     */
    public int leader() {
        Pattern id = Pattern.compile("\"member_id\":\"(\\d+)\"");
        Pattern leader = Pattern.compile("\"leader\":\"(\\d+)\"");
        for (int i = 1; i <= members.size(); i++) {
            if (members.get(i - 1).process == null) {
                continue;
            }
            try {
                HttpResponse<String> r =
                        HTTP.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        members.get(i - 1).clientUrl()
                                                                + "/v3/maintenance/status"))
                                        .timeout(Duration.ofSeconds(2))
                                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                Matcher m = id.matcher(r.body());
                Matcher l = leader.matcher(r.body());
                if (r.statusCode() == 200
                        && m.find()
                        && l.find()
                        && m.group(1).equals(l.group(1))) {
                    return i;
                }
            } catch (IOException e) {
                // not answering: not the leader we can name
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return 0;
    }

    /** Waits until every running member is healthy. */
    public void awaitHealthy(Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            boolean all = true;
            for (int i = 1; i <= members.size(); i++) {
                Member m = members.get(i - 1);
                if (m.process != null && !healthy(i)) {
                    all = false;
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("etcd did not become healthy:\n" + logs());
    }

    /** Every member's log. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        for (Member m : members) {
            Path log = dir.resolve(m.name + ".log");
            try {
                b.append("---- ").append(m.name).append('\n');
                if (Files.exists(log)) {
                    b.append(Files.readString(log));
                }
            } catch (IOException e) {
                b.append(e).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (int i = 1; i <= members.size(); i++) {
            kill(i);
        }
    }
}
