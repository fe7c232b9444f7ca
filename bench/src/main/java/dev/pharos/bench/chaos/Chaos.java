package dev.pharos.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pharos.it.Cluster;
import dev.pharos.it.Nft;
import dev.pharos.it.PharosInstance;
import dev.pharos.testing.Bind;
import dev.pharos.testing.Etcd;
import dev.pharos.testing.FaultProxy;
import dev.pharos.testing.Ports;
import dev.pharos.testing.TestTopology;
import dev.pharos.testing.Timings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The randomized fault soak (bench/chaos/run.sh, ChaosSoakIT): three vantage points (the built jar,
 * each its own embedded name server at 127.0.9.1-3), three regions (a real HAProxy and two backends
 * each, {@link Regions}), a querier asking every name server every 50 ms ({@link Querier}), and
 * three lanes of faults drawn from one seed:
 *
 * <ul>
 *   <li>regions: a load balancer killed or hung (SIGSTOP), both backends killed, one backend
 *       killed; any number of regions at once, each healed after a random time;
 *   <li>vantage points, one fault at a time (a majority always stays whole): kill -9 and restart,
 *       SIGSTOP and SIGCONT, cut from both peers or one peer cut from another with nftables (only
 *       as root, in a table of this process's own that is always deleted); after each heal the lane
 *       waits until all three are warm with quorum;
 *   <li>drains and undrains through random running instances' API with the admin token, one region
 *       drained at a time.
 * </ul>
 *
 * Everything goes to the history (JSONL), which {@link ChaosCheck} judges afterwards against the
 * invariants and turns into the results table. Loopback only.
 */
public final class Chaos {
    static final String NAME = "cdn.example.test";
    static final Timings TIMINGS = Timings.DEFAULTS;
    static final Duration HOLD_DOWN = Duration.ofSeconds(5);

    /** The writers' lease in etcd: short, so that a paused writer is replaced while paused. */
    static final Duration LEASE_TTL = Duration.ofSeconds(3);

    /** The second cluster (the writers) is vp4-vp6, at 127.0.9.4-6. */
    static final int WRITER_OFFSET = 3;

    static final String ZONE = "example.test";
    static final String BIND_ADDRESS = "127.0.0.1"; // named listens on interface addresses only
    private static final List<String> JVM =
            List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /** What a run produced: the checker's verdict and where its files are. */
    public record Outcome(ChaosCheck.Report report, Path history, Path table) {}

    private final long seed;
    private final Duration duration;
    private final Path work;
    private final boolean partitions;
    private final History history;
    private final Regions regions;
    private Cluster cluster;
    private final boolean external;
    private Bind bind;
    private Etcd etcd;
    private Cluster writers;

    /** Each writer's RFC 2136 connection to BIND goes through a proxy of its own (127.0.95.i). */
    private final FaultProxy[] proxies = new FaultProxy[4];

    private FenceWatch fenceWatch;
    private final VpState[] wState = {null, VpState.UP, VpState.UP, VpState.UP};
    private final VpState[] etcdState = {null, VpState.UP, VpState.UP, VpState.UP};
    private final Map<String, List<String[]>> nftRules = new HashMap<>();
    private Nft nft;
    private final String admin = "chaos-admin-" + hex(16);
    private final ReentrantLock vpLock = new ReentrantLock();

    /** Held while a writer's state changes and while a drain is sent to one of the writers. */
    private final ReentrantLock wLock = new ReentrantLock();

    private final VpState[] vpState = {null, VpState.UP, VpState.UP, VpState.UP};
    private volatile boolean running = true;
    private volatile long end;

    /** When this run's history starts: a journal kept from an earlier run in WORK is older. */
    private volatile long started;

    private final List<Throwable> laneErrors = new ArrayList<>();

    enum VpState {
        UP,
        STOPPED,
        KILLED
    }

    private Chaos(
            long seed,
            Duration duration,
            Path work,
            Path backendScript,
            boolean partitions,
            boolean external)
            throws IOException {
        this.seed = seed;
        this.external = external;
        this.duration = duration;
        this.work = work;
        this.partitions = partitions;
        clearEarlierRun(work);
        Files.createDirectories(work);
        this.history = new History(work.resolve("history.jsonl"));
        this.regions = new Regions(work, backendScript, which("python3"), which("haproxy"));
    }

    /**
     * Removes what an earlier run left in {@code work} (ChaosSoakIT keeps target/chaos-it between
     * runs): the instances' data directories (state, journals) and logs, the history, the regions'
     * logs and configurations, so that nothing of it leaks into this run. Only the soak's own names
     * are removed, never the directory itself or anything else in it.
     */
    static void clearEarlierRun(Path work) throws IOException {
        if (!Files.isDirectory(work)) {
            return;
        }
        for (String dir : List.of("vps", "writers")) {
            Path d = work.resolve(dir);
            if (Files.isDirectory(d)) {
                try (var all = Files.walk(d)) {
                    for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
        Files.deleteIfExists(work.resolve("history.jsonl"));
        try (var files = Files.list(work)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (Files.isRegularFile(f)
                        && (n.matches("r[0-9]+-(lb|web[0-9]+)\\.log")
                                || n.matches("haproxy-r[0-9]+\\.cfg"))) {
                    Files.delete(f);
                }
            }
        }
    }

    /**
     * Runs the soak and judges it: {@code seed}, {@code duration} of faults, files under {@code
     * work}, the table to {@code table}; {@code command} is how it was started (for the table).
     */
    public static Outcome run(
            long seed, Duration duration, Path work, Path backendScript, Path table, String command)
            throws Exception {
        boolean partitions =
                Nft.unavailable() == null && "root".equals(System.getProperty("user.name"));
        boolean external = external();
        Chaos c = new Chaos(seed, duration, work, backendScript, partitions, external);
        double loadBefore = load();
        try {
            c.soak();
        } finally {
            c.close();
        }
        ChaosCheck.Report report = ChaosCheck.check(work.resolve("history.jsonl"));
        String md = report.markdown(command, loadBefore, load(), partitions, external);
        Files.createDirectories(table.toAbsolutePath().getParent());
        Files.writeString(table, md);
        if (!c.laneErrors.isEmpty()) {
            throw new IllegalStateException("a fault lane failed", c.laneErrors.get(0));
        }
        return new Outcome(report, work.resolve("history.jsonl"), table);
    }

    /**
     * Whether the external part runs: the writers on etcd, RFC 2136 to BIND (named -g runs as root
     * here).
     */
    static boolean external() {
        return dev.pharos.testing.Tools.root()
                && dev.pharos.testing.Tools.find("named").isPresent()
                && dev.pharos.testing.Tools.find("etcd").isPresent();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: Chaos SEED DURATION_SECONDS WORK_DIR BACKEND_PY TABLE");
            System.exit(2);
        }
        long seed = Long.parseLong(args[0]);
        Duration d = Duration.ofSeconds(Long.parseLong(args[1]));
        Outcome o =
                run(
                        seed,
                        d,
                        Path.of(args[2]),
                        Path.of(args[3]),
                        Path.of(args[4]),
                        "SEED=" + seed + " DURATION=" + d.toSeconds() + " bench/chaos/run.sh");
        System.out.println(Files.readString(o.table()));
        System.exit(o.report().violations().isEmpty() ? 0 : 1);
    }

    private void soak() throws Exception {
        regions.startAll();
        int[] dnsPort = new int[4];
        for (int i = 1; i <= 3; i++) {
            dnsPort[i] = Ports.freeUdpAndTcp(Cluster.address(i));
        }
        TestTopology shared =
                new TestTopology()
                        .timings(TIMINGS)
                        .roundRobin(NAME, 5)
                        .policy("hold-down", HOLD_DOWN)
                        .policy("max-removals", 3)
                        .zone("example.test");
        for (int r = 1; r <= Regions.COUNT; r++) {
            int rr = r;
            shared.region(Regions.name(r), spec -> spec.ipv4(Regions.lb(rr), Regions.PORT));
        }
        cluster =
                new Cluster(
                        3,
                        shared,
                        true,
                        work.resolve("vps"),
                        "chaos-peer-" + hex(16),
                        JVM,
                        (i, t) ->
                                t.embeddedDns(Cluster.address(i), dnsPort[i])
                                        .env("PHAROS_API_ADMIN_TOKEN", admin));
        Runtime.getRuntime().addShutdownHook(new Thread(this::killVps, "chaos-vps-cleanup"));
        if (external) {
            StringBuilder zone = new StringBuilder();
            for (int r = 1; r <= Regions.COUNT; r++) {
                zone.append("cdn 5 IN A ").append(Regions.lb(r)).append('\n');
            }
            bind = Bind.start(BIND_ADDRESS, ZONE, zone.toString());
            etcd = Etcd.startThree();
            for (int i = 1; i <= 3; i++) {
                proxies[i] = new FaultProxy("127.0.95." + i, bind.address());
            }
            writers =
                    new Cluster(
                            WRITER_OFFSET,
                            3,
                            shared,
                            true,
                            work.resolve("writers"),
                            "chaos-writer-peer-" + hex(16),
                            JVM,
                            (i, t) ->
                                    bind.updater(t, proxies[i].hostPort())
                                            // a writer paused with its update kept back in its
                                            // proxy still awaits the answer when it wakes
                                            .set("pharos.dns.rfc2136.timeout", "60s")
                                            .set("pharos.coordination.provider", "etcd")
                                            .set(
                                                    "pharos.coordination.etcd.endpoints",
                                                    etcd.endpoints())
                                            .set("pharos.coordination.etcd.lease-ttl", LEASE_TTL)
                                            .env("PHAROS_API_ADMIN_TOKEN", admin));
            writers.startAll();
        }
        cluster.startAll();
        if (partitions) {
            nft = new Nft();
        }
        if (!awaitSettled(Duration.ofSeconds(300))) {
            throw new IllegalStateException(
                    "the three vantage points never became warm with quorum\n"
                            + cluster.logTails(40));
        }
        if (external && !awaitWritersSettled(Duration.ofSeconds(300))) {
            throw new IllegalStateException(
                    "the three writers never became warm with quorum and one writer\n"
                            + writers.logTails(40));
        }
        JsonNode worst = worstCase(cluster.vp(1));
        started = System.currentTimeMillis();
        ObjectNode meta = History.entry("meta", started);
        meta.put("seed", seed);
        meta.put("durationSeconds", duration.toSeconds());
        meta.put("partitions", partitions);
        meta.put("detectionSeconds", worst.get("detectionSeconds").asDouble());
        meta.put("exchangeSeconds", worst.get("exchangeSeconds").asDouble());
        meta.put("propagationSeconds", worst.get("propagationSeconds").asDouble());
        meta.put("exchangeInterval", TIMINGS.exchangeInterval().toMillis() / 1000.0);
        meta.put("riseSeconds", TIMINGS.rise() * TIMINGS.interval().toMillis() / 1000.0);
        meta.put("probeTimeoutSeconds", TIMINGS.timeout().toMillis() / 1000.0);
        meta.put("holdDownSeconds", HOLD_DOWN.toSeconds());
        meta.put("external", external);
        if (external) {
            JsonNode w = worstCase(writers.vp(1));
            meta.put("externalPropagationSeconds", w.get("propagationSeconds").asDouble());
            meta.put("leaseTtlSeconds", LEASE_TTL.toSeconds());
            meta.put("roundSeconds", TIMINGS.interval().toMillis() / 1000.0);
            meta.put("bind", bind.hostPort());
        }
        ArrayNode addrs = meta.putArray("regions");
        for (int r = 1; r <= Regions.COUNT; r++) {
            addrs.addObject().put("name", Regions.name(r)).put("address", Regions.lb(r));
        }
        history.add(meta);
        List<InetSocketAddress> servers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            servers.add(new InetSocketAddress(Cluster.address(i), dnsPort[i]));
        }
        if (external) {
            servers.add(bind.address()); // name server 4
        }
        try (Querier q = new Querier(history, servers, NAME, 50, 300);
                FenceWatch f =
                        external ? new FenceWatch(history, bind.address(), ZONE, 50) : null) {
            fenceWatch = f;
            Thread.sleep(2000);
            end = System.currentTimeMillis() + duration.toMillis();
            List<Thread> lanes = new ArrayList<>();
            lanes.add(lane("regions", () -> regionLane(new Random(seed))));
            lanes.add(lane("vantage-points", () -> vpLane(new Random(seed + 1))));
            lanes.add(lane("drains", () -> drainLane(new Random(seed + 2))));
            if (external) {
                lanes.add(lane("writers", () -> writerLane(new Random(seed + 3))));
            }
            for (Thread t : lanes) {
                t.join();
            }
            healEverything();
            Thread.sleep(external ? 3000 + LEASE_TTL.toMillis() : 3000);
        }
        if (external) {
            if (!awaitWritersSettled(Duration.ofSeconds(120))) {
                note("not-settled", "the writers not all warm with one writer at the end");
            }
            collectApplies();
        }
        note("end", "faults stopped, everything healed");
    }

    private Thread lane(String name, ThrowingRunnable body) {
        Thread t =
                new Thread(
                        () -> {
                            try {
                                body.run();
                            } catch (Throwable e) {
                                synchronized (laneErrors) {
                                    laneErrors.add(e);
                                }
                                note("lane-error", name + ": " + e);
                                e.printStackTrace();
                                running = false;
                            }
                        },
                        "chaos-" + name);
        t.start();
        return t;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private boolean more() {
        return running && System.currentTimeMillis() < end;
    }

    // ---- regions

    private static final class RegionFault {
        String what;
        long healAt;
    }

    private void regionLane(Random rnd) {
        RegionFault[] faults = new RegionFault[Regions.COUNT + 1];
        long nextFault = System.currentTimeMillis() + 1000 + rnd.nextInt(4000);
        while (more()) {
            long now = System.currentTimeMillis();
            for (int r = 1; r <= Regions.COUNT; r++) {
                if (faults[r] != null && now >= faults[r].healAt) {
                    healRegion(r, faults[r].what);
                    faults[r] = null;
                }
            }
            if (now >= nextFault) {
                List<Integer> healthy = new ArrayList<>();
                for (int r = 1; r <= Regions.COUNT; r++) {
                    if (faults[r] == null) {
                        healthy.add(r);
                    }
                }
                int pick = rnd.nextInt(Regions.COUNT);
                long hold = 3000 + rnd.nextInt(22000);
                String what =
                        List.of("lb-kill", "lb-hang", "backends-kill", "backend-kill")
                                .get(rnd.nextInt(4));
                int backend = 1 + rnd.nextInt(2);
                nextFault = now + 3000 + rnd.nextInt(12000);
                // a third region down at once (a total outage) only now and then: the
                // dead-address invariant has exceptions while every region is down
                boolean allowed = healthy.size() > 1 || rnd.nextInt(5) == 0;
                if (!healthy.isEmpty() && allowed) {
                    int r = healthy.get(pick % healthy.size());
                    RegionFault f = new RegionFault();
                    f.what = what.equals("backend-kill") ? what + "-" + backend : what;
                    f.healAt = System.currentTimeMillis() + hold;
                    faults[r] = f;
                    breakRegion(r, f.what);
                }
            }
            sleep(100);
        }
        for (int r = 1; r <= Regions.COUNT; r++) {
            if (faults[r] != null) {
                healRegion(r, faults[r].what);
            }
        }
    }

    private void breakRegion(int r, String what) {
        boolean dies = true;
        switch (what) {
            case "lb-kill" -> regions.killLb(r);
            case "lb-hang" -> regions.signalLb(r, "STOP");
            case "backends-kill" -> {
                regions.killBackend(r, 1);
                regions.killBackend(r, 2);
            }
            default -> {
                regions.killBackend(r, Integer.parseInt(what.substring(what.length() - 1)));
                dies = false;
            }
        }
        long t = System.currentTimeMillis();
        ObjectNode n = History.entry("fault", t);
        n.put("lane", "region").put("target", Regions.name(r)).put("what", what);
        history.add(n);
        if (dies) {
            regionState(r, false, t, what);
        }
    }

    private void healRegion(int r, String what) {
        switch (what) {
            case "lb-kill" -> regions.startLb(r);
            case "lb-hang" -> regions.signalLb(r, "CONT");
            case "backends-kill" -> {
                regions.startBackend(r, 1);
                regions.startBackend(r, 2);
            }
            default -> regions.startBackend(r, Integer.parseInt(what.substring(what.length() - 1)));
        }
        ObjectNode n = History.entry("heal", System.currentTimeMillis());
        n.put("lane", "region").put("target", Regions.name(r)).put("what", what);
        history.add(n);
        if (!what.startsWith("backend-kill")) {
            // alive again once its load balancer serves 200 through a backend, as seen from here
            if (regions.awaitServing(r, Duration.ofSeconds(20))) {
                regionState(r, true, System.currentTimeMillis(), what);
            } else {
                note("region-not-serving", Regions.name(r) + " not serving 20 s after heal");
            }
        }
    }

    private void regionState(int r, boolean alive, long t, String why) {
        ObjectNode n = History.entry("region", t);
        n.put("region", Regions.name(r)).put("address", Regions.lb(r)).put("alive", alive);
        n.put("why", why);
        history.add(n);
    }

    // ---- vantage points

    private void vpLane(Random rnd) throws Exception {
        sleep(2000 + rnd.nextInt(5000));
        while (more()) {
            int vp = 1 + rnd.nextInt(3);
            int other = 1 + (vp + rnd.nextInt(2)) % 3; // another vantage point
            List<String> kinds = new ArrayList<>(List.of("kill", "stop"));
            if (partitions) {
                kinds.addAll(List.of("isolate", "cut"));
            }
            String what = kinds.get(rnd.nextInt(kinds.size()));
            long hold = 2000 + rnd.nextInt(what.equals("kill") ? 8000 : 13000);
            long gap = 3000 + rnd.nextInt(12000);
            switch (what) {
                case "kill" -> {
                    PharosInstance p = cluster.vp(vp);
                    JsonNode before = events(p);
                    transition(vpLock, vpState, vp, VpState.KILLED, p::kill);
                    vpFault(vp, 0, what, true);
                    sleep(hold);
                    transition(vpLock, vpState, vp, VpState.UP, p::start);
                    vpFault(vp, 0, what, false);
                    awaitLive(vp);
                    compareJournal(vp, before);
                }
                case "stop" -> {
                    PharosInstance p = cluster.vp(vp);
                    transition(vpLock, vpState, vp, VpState.STOPPED, () -> p.signal("STOP"));
                    vpFault(vp, 0, what, true);
                    sleep(hold);
                    transition(vpLock, vpState, vp, VpState.UP, () -> p.signal("CONT"));
                    vpFault(vp, 0, what, false);
                }
                case "isolate" -> {
                    nftLane("vp", isolate(cluster, 0, vp));
                    vpFault(vp, 0, what, true);
                    sleep(hold);
                    nftLane("vp", List.of());
                    vpFault(vp, 0, what, false);
                }
                default -> {
                    List<String[]> rules = new ArrayList<>();
                    cut(cluster, 0, vp, other, rules);
                    nftLane("vp", rules);
                    vpFault(vp, other, what, true);
                    sleep(hold);
                    nftLane("vp", List.of());
                    vpFault(vp, other, what, false);
                }
            }
            if (!awaitSettled(Duration.ofSeconds(180))) {
                note(
                        "not-settled",
                        "the vantage points not all warm with quorum 180 s after a heal");
            }
            sleep(gap);
        }
    }

    /**
     * Instance i of a cluster changes state under the cluster's lock (a drain is never sent to it
     * half-way): {@code change} (a kill, a start, a signal), then {@code states[i] = to}.
     */
    private static void transition(
            ReentrantLock lock, VpState[] states, int i, VpState to, Runnable change) {
        lock.lock();
        try {
            change.run();
            states[i] = to;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The rules that drop both directions of the exchange between vantage points a and b of {@code
     * c} (counted from 1; its addresses from {@code offset} + 1).
     */
    private static void cut(Cluster c, int offset, int a, int b, List<String[]> rules) {
        String aa = Cluster.address(offset + a);
        String ba = Cluster.address(offset + b);
        rules.add(new String[] {aa, ba, String.valueOf(c.vp(b).port())});
        rules.add(new String[] {ba, aa, String.valueOf(c.vp(a).port())});
    }

    /** The rules that cut instance i of {@code c} (counted from 1) from both its peers. */
    private static List<String[]> isolate(Cluster c, int offset, int i) {
        List<String[]> rules = new ArrayList<>();
        for (int j = 1; j <= 3; j++) {
            if (j != i) {
                cut(c, offset, i, j, rules);
            }
        }
        return rules;
    }

    /**
     * Sets a lane's nftables rules (an empty list heals it): the chain is emptied and every lane's
     * rules added again, so that one lane's heal leaves the other's cut in place.
     */
    private synchronized void nftLane(String lane, List<String[]> rules) {
        nftRules.put(lane, rules);
        nft.clear();
        for (List<String[]> l : nftRules.values()) {
            for (String[] r : l) {
                nft.drop(r[0], List.of(r[1]), List.of(Integer.parseInt(r[2])));
            }
        }
    }

    private void vpFault(int vp, int other, String what, boolean start) {
        ObjectNode n = History.entry(start ? "fault" : "heal", System.currentTimeMillis());
        n.put("lane", "vp").put("target", "vp" + vp).put("vp", vp).put("what", what);
        if (other > 0) {
            n.put("other", other);
        }
        history.add(n);
    }

    private void awaitLive(int vp) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < until && !cluster.vp(vp).live()) {
            sleep(200);
        }
    }

    /** All three of the first cluster live, warm, with quorum. */
    private boolean awaitSettled(Duration within) {
        return awaitSettled(cluster, false, within);
    }

    /** All three writers live, warm, with quorum, and one writer counted by every one. */
    private boolean awaitWritersSettled(Duration within) {
        return awaitSettled(writers, true, within);
    }

    private boolean awaitSettled(Cluster c, boolean oneWriter, Duration within) {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            boolean all = !oneWriter || writerIndex() > 0;
            for (int i = 1; i <= 3 && all; i++) {
                try {
                    PharosInstance p = c.vp(i);
                    JsonNode s = p.statusJson();
                    all =
                            s.path("warmup").path("done").asBoolean()
                                    && s.path("quorum").path("held").asBoolean()
                                    && (!oneWriter || p.metric("pharos_writers ") == 1);
                } catch (RuntimeException e) {
                    all = false;
                }
            }
            if (all) {
                return true;
            }
            sleep(250);
        }
        return false;
    }

    /** The newest 1000 events of an instance's journal, or null if it does not answer. */
    private static JsonNode events(PharosInstance p) {
        try {
            return p.json("/api/v1/events?limit=1000").get("events");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Every event read before the kill is still in the journal after the restart, unchanged. */
    private void compareJournal(int vp, JsonNode before) {
        ObjectNode n = History.entry("journal", System.currentTimeMillis());
        n.put("vp", vp);
        if (before == null || before.isEmpty()) {
            n.put("checked", 0);
            history.add(n);
            return;
        }
        Map<Long, String> expected = new TreeMap<>();
        for (JsonNode e : before) {
            expected.put(
                    e.get("seq").asLong(), e.get("type").asText() + "@" + e.get("time").asText());
        }
        long first = expected.keySet().iterator().next();
        Map<Long, String> found = new TreeMap<>();
        long after = first - 1;
        for (int page = 0; page < 20; page++) {
            JsonNode got;
            try {
                got =
                        cluster.vp(vp)
                                .json("/api/v1/events?after=" + after + "&limit=1000")
                                .get("events");
            } catch (RuntimeException e) {
                n.put("error", "events after restart: " + e.getMessage());
                break;
            }
            for (JsonNode e : got) {
                found.put(
                        e.get("seq").asLong(),
                        e.get("type").asText() + "@" + e.get("time").asText());
                after = e.get("seq").asLong();
            }
            if (got.size() < 1000 || after >= ((TreeMap<Long, String>) expected).lastKey()) {
                break;
            }
        }
        ArrayNode missing = n.putArray("missing");
        expected.forEach(
                (seq, what) -> {
                    if (!what.equals(found.get(seq))) {
                        missing.add(seq + " " + what + " -> " + found.get(seq));
                    }
                });
        n.put("checked", expected.size());
        history.add(n);
    }

    // ---- the writers (etcd, RFC 2136 to BIND)

    /**
     * One fault at a time among the writers (vp4-vp6) and the etcd members, aimed at the current
     * writer (or the etcd member numbered like it, as if on its machine) two times in three, else
     * at a random one: an etcd member killed or SIGSTOPped and brought back; a writer killed -9 and
     * restarted, SIGSTOPped (longer than the lease: another takes over while it sleeps), or cut
     * from both peers. A majority of each always stays whole.
     */
    private void writerLane(Random rnd) throws Exception {
        sleep(3000 + rnd.nextInt(5000));
        while (more()) {
            int w = writerIndex();
            List<String> kinds =
                    new ArrayList<>(
                            List.of("etcd-kill", "etcd-stop", "kill", "stop", "stop-in-flight"));
            if (partitions) {
                kinds.add("isolate");
            }
            String what = kinds.get(rnd.nextInt(kinds.size()));
            int random = 1 + rnd.nextInt(3);
            int target = w > 0 && rnd.nextInt(3) < 2 ? w : random;
            if (what.equals("stop-in-flight")) {
                if (w == 0) {
                    what = "stop";
                } else {
                    target = w; // only the writer sends updates
                }
            }
            long hold = 2000 + rnd.nextInt(10000);
            long gap = 3000 + rnd.nextInt(10000);
            String name =
                    what.startsWith("etcd") ? "etcd-m" + target : "vp" + (WRITER_OFFSET + target);
            writerFault(name, target, what, w, true);
            switch (what) {
                case "etcd-kill" -> {
                    etcdState[target] = VpState.KILLED;
                    etcd.kill(target);
                    sleep(hold);
                    etcd.start(target);
                    etcdState[target] = VpState.UP;
                }
                case "etcd-stop" -> {
                    etcdState[target] = VpState.STOPPED;
                    etcd.signal(target, "STOP");
                    sleep(hold);
                    etcd.signal(target, "CONT");
                    etcdState[target] = VpState.UP;
                }
                case "kill" -> {
                    PharosInstance p = writers.vp(target);
                    transition(wLock, wState, target, VpState.KILLED, p::kill);
                    sleep(hold);
                    transition(wLock, wState, target, VpState.UP, p::start);
                }
                case "stop" -> {
                    PharosInstance p = writers.vp(target);
                    transition(wLock, wState, target, VpState.STOPPED, () -> p.signal("STOP"));
                    sleep(hold);
                    transition(wLock, wState, target, VpState.UP, () -> p.signal("CONT"));
                }
                case "stop-in-flight" -> stopInFlight(target);
                default -> {
                    nftLane("writers", isolate(writers, WRITER_OFFSET, target));
                    sleep(hold);
                    nftLane("writers", List.of());
                }
            }
            writerFault(name, target, what, w, false);
            if (what.startsWith("etcd")) {
                try {
                    etcd.awaitHealthy(Duration.ofSeconds(60));
                } catch (IllegalStateException e) {
                    note("etcd-not-healthy", "etcd not healthy 60 s after a heal");
                }
            }
            if (!awaitWritersSettled(Duration.ofSeconds(180))) {
                note(
                        "not-settled",
                        "the writers not all warm with quorum and one writer 180 s after a heal");
            }
            sleep(gap);
        }
    }

    /**
     * The fencing scenario: the writer's next update is kept back in its proxy, the writer is
     * SIGSTOPped while it waits for the answer, and stays so until another writer holds the fencing
     * record with a later term (at most 30 s); then the update is delivered, late, and the writer
     * continued. BIND must refuse it (the prerequisite names the old term); the writer journals
     * {@code fenced: ...} and steps down. If no update comes within 20 s (or before the run ends)
     * nothing is stopped (a note says so).
     */
    private void stopInFlight(int target) throws IOException {
        FaultProxy proxy = proxies[target];
        PharosInstance p = writers.vp(target);
        long before = fenceWatch.term();
        proxy.delay(true);
        long until = System.currentTimeMillis() + 20_000;
        while (proxy.delayed() == 0 && System.currentTimeMillis() < until && more()) {
            sleep(5);
        }
        if (proxy.delayed() == 0) {
            proxy.release();
            note(
                    "no-update-in-flight",
                    "vp"
                            + (WRITER_OFFSET + target)
                            + " sent no update before the wait ended (20 s, or the end of the run)");
            return;
        }
        transition(wLock, wState, target, VpState.STOPPED, () -> p.signal("STOP"));
        long wait = System.currentTimeMillis() + 30_000;
        while (fenceWatch.term() <= before && System.currentTimeMillis() < wait) {
            sleep(50);
        }
        boolean takenOver = fenceWatch.term() > before;
        proxy.release();
        sleep(200); // BIND's answer back in the paused writer's socket before it wakes
        transition(wLock, wState, target, VpState.UP, () -> p.signal("CONT"));
        ObjectNode n = History.entry("in-flight", System.currentTimeMillis());
        n.put("vp", WRITER_OFFSET + target).put("oldTerm", before).put("takenOver", takenOver);
        n.put("fence", fenceWatch.term());
        history.add(n);
    }

    private void writerFault(String name, int target, String what, int writer, boolean start) {
        ObjectNode n = History.entry(start ? "fault" : "heal", System.currentTimeMillis());
        n.put("lane", "writer").put("target", name).put("what", what);
        if (!what.startsWith("etcd")) {
            n.put("vp", WRITER_OFFSET + target);
        }
        n.put("writer", writer > 0 ? "vp" + (WRITER_OFFSET + writer) : "none");
        history.add(n);
    }

    /** The writer (1-3 within the writers' cluster) that says it writes now, or 0. */
    private int writerIndex() {
        for (int i = 1; i <= 3; i++) {
            if (wState[i] != VpState.UP) {
                continue;
            }
            try {
                if (writers.vp(i).metric("pharos_writer ") == 1) {
                    return i;
                }
            } catch (RuntimeException e) {
                // not answering
            }
        }
        return 0;
    }

    /**
     * Every DNS update the writers journaled as applied ({@code apply_ok}, with its term) since
     * this run's history started, from every writer's journal: when its intent was journaled
     * (before it was sent) and when it was acknowledged. The server accepted it in between.
     */
    private void collectApplies() {
        for (int i = 1; i <= 3; i++) {
            PharosInstance p = writers.vp(i);
            long after = 0;
            String intent = null;
            long intentTerm = -1;
            int applies = 0;
            int fenced = 0;
            for (int page = 0; page < 1000; page++) {
                JsonNode got;
                try {
                    got = p.json("/api/v1/events?after=" + after + "&limit=1000").get("events");
                } catch (RuntimeException e) {
                    note("journal-unread", p.name() + ": " + e.getMessage());
                    break;
                }
                for (JsonNode e : got) {
                    after = e.get("seq").asLong();
                    String type = e.get("type").asText();
                    if (type.equalsIgnoreCase("apply_failed")
                            && e.path("data").path("error").asText().startsWith("fenced:")
                            && java.time.Instant.parse(e.get("time").asText()).toEpochMilli()
                                    >= started) {
                        fenced++; // BIND refused a superseded writer's update, or its take-over
                    } else if (type.equalsIgnoreCase("apply_intent")) {
                        intent = e.get("time").asText();
                        intentTerm = e.has("term") ? e.get("term").asLong() : -1;
                    } else if (type.equalsIgnoreCase("apply_ok")
                            && java.time.Instant.parse(e.get("time").asText()).toEpochMilli()
                                    < started) {
                        // before this run's history (the writers' first writes while settling)
                        intent = null;
                        intentTerm = -1;
                    } else if (type.equalsIgnoreCase("apply_ok")) {
                        long ok = java.time.Instant.parse(e.get("time").asText()).toEpochMilli();
                        ObjectNode n = History.entry("apply", ok);
                        n.put("node", p.name());
                        // the term the update was sent under: the intent's (journaled before it)
                        long okTerm = e.has("term") ? e.get("term").asLong() : -1;
                        n.put("term", intent != null ? intentTerm : okTerm);
                        n.put("okTerm", okTerm);
                        n.put(
                                "start",
                                java.time.Instant.parse(
                                                intent != null ? intent : e.get("time").asText())
                                        .toEpochMilli());
                        n.put(
                                "end",
                                java.time.Instant.parse(e.get("time").asText()).toEpochMilli());
                        n.put("seq", e.get("seq").asLong());
                        n.put("intentKnown", intent != null);
                        history.add(n);
                        applies++;
                        intent = null;
                        intentTerm = -1;
                    }
                }
                if (got.size() < 1000) {
                    break;
                }
            }
            ObjectNode n = History.entry("applies", System.currentTimeMillis());
            n.put("node", p.name()).put("count", applies).put("fenced", fenced);
            history.add(n);
        }
    }

    // ---- drains

    /**
     * Drains and undrains a random region through random running instances; with the writers, the
     * same region also through a random writer (its own draw, so the first cluster's schedule is
     * the seed's whatever the writers do), judged on BIND.
     */
    private void drainLane(Random rnd) {
        Random wrnd = new Random(seed + 4);
        sleep(5000 + rnd.nextInt(10000));
        while (more()) {
            int r = 1 + rnd.nextInt(Regions.COUNT);
            int via = 1 + rnd.nextInt(3);
            long hold = 5000 + rnd.nextInt(20000);
            long gap = 5000 + rnd.nextInt(20000);
            String region = Regions.name(r);
            boolean drained = drainThrough(false, via, "POST", region, 3);
            boolean wDrained =
                    external
                            && drained
                            && drainThrough(true, 1 + wrnd.nextInt(3), "POST", region, 3);
            if (drained) {
                sleep(hold);
                if (!drainThrough(false, 1 + rnd.nextInt(3), "DELETE", region, 60)) {
                    note("undrain-failed", region + " could not be undrained");
                }
            }
            if (wDrained && !drainThrough(true, 1 + wrnd.nextInt(3), "DELETE", region, 60)) {
                note("undrain-failed", region + " could not be undrained through the writers");
            }
            sleep(gap);
        }
    }

    /**
     * A drain (POST) or undrain (DELETE) through instance {@code from} of the first cluster (or of
     * the writers), else the next running one, up to {@code attempts} times, half a second apart
     * after a round of all three; true when one answered 200.
     */
    private boolean drainThrough(
            boolean ofWriters, int from, String method, String region, int attempts) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (action(ofWriters, 1 + (from - 1 + attempt) % 3, method, region)) {
                return true;
            }
            if (attempt >= 2) {
                sleep(500);
            }
        }
        return false;
    }

    /**
     * One drain (POST) or undrain (DELETE) through vantage point v of the first cluster or of the
     * writers, if it runs; true when 200.
     */
    private boolean action(boolean ofWriters, int v, String method, String region) {
        ReentrantLock lock = ofWriters ? wLock : vpLock;
        lock.lock();
        try {
            if ((ofWriters ? wState : vpState)[v] != VpState.UP) {
                return false;
            }
            long sent = System.currentTimeMillis();
            HttpResponse<String> res =
                    (ofWriters ? writers : cluster)
                            .vp(v)
                            .send(
                                    method,
                                    "/api/v1/regions/" + region + "/drain",
                                    admin,
                                    method.equals("POST")
                                            ? "{\"reason\":\"chaos\",\"duration\":\"1h\"}"
                                            : null);
            long acked = System.currentTimeMillis();
            ObjectNode n = History.entry(method.equals("POST") ? "drain" : "undrain", acked);
            n.put("sent", sent).put("via", ofWriters ? WRITER_OFFSET + v : v).put("region", region);
            if (ofWriters) {
                n.put("cluster", "writers");
            }
            n.put("status", res == null ? -1 : res.statusCode());
            n.put("address", Regions.lb(Integer.parseInt(region.substring(1))));
            history.add(n);
            return res != null && res.statusCode() == 200;
        } finally {
            lock.unlock();
        }
    }

    // ---- shared

    private void healEverything() {
        if (nft != null) {
            nftRules.clear();
            nft.clear();
        }
        for (int i = 1; external && i <= 3; i++) {
            try {
                if (etcdState[i] == VpState.STOPPED) {
                    etcd.signal(i, "CONT");
                } else if (etcdState[i] == VpState.KILLED) {
                    etcd.start(i);
                }
            } catch (Exception e) {
                note("heal-failed", "etcd-m" + i + ": " + e);
            }
            etcdState[i] = VpState.UP;
            try {
                proxies[i].release();
            } catch (IOException e) {
                note("heal-failed", "proxy of vp" + (WRITER_OFFSET + i) + ": " + e);
            }
            if (wState[i] == VpState.STOPPED) {
                writers.vp(i).signal("CONT");
            } else if (wState[i] == VpState.KILLED) {
                writers.vp(i).start();
            }
            wState[i] = VpState.UP;
        }
        for (int i = 1; i <= 3; i++) {
            if (vpState[i] == VpState.STOPPED) {
                cluster.vp(i).signal("CONT");
            } else if (vpState[i] == VpState.KILLED) {
                cluster.vp(i).start();
            }
            vpState[i] = VpState.UP;
        }
    }

    private void note(String what, String detail) {
        ObjectNode n = History.entry("note", System.currentTimeMillis());
        n.put("what", what).put("detail", detail);
        history.add(n);
    }

    private static JsonNode worstCase(PharosInstance p) {
        for (JsonNode r : p.statusJson().get("records")) {
            if (r.get("name").asText().startsWith(NAME)) {
                return r.get("worstCaseFailover");
            }
        }
        throw new IllegalStateException("no record " + NAME + " in the status");
    }

    private void killVps() {
        if (cluster != null) {
            cluster.close();
        }
        if (writers != null) {
            writers.close();
        }
        for (FaultProxy p : proxies) {
            try {
                if (p != null) {
                    p.close();
                }
            } catch (IOException e) {
                // going anyway
            }
        }
        try {
            if (etcd != null) {
                etcd.close();
            }
        } catch (Exception e) {
            // going anyway
        }
        try {
            if (bind != null) {
                bind.close();
            }
        } catch (Exception e) {
            // going anyway
        }
    }

    private void close() {
        running = false;
        killVps();
        if (nft != null) {
            nft.close();
        }
        regions.close();
        history.close();
    }

    static void signal(long pid, String signal) {
        try {
            Process k = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
            k.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String which(String tool) {
        return dev.pharos.testing.Tools.require(tool, tool).toString();
    }

    static double load() {
        try {
            return Double.parseDouble(
                    Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 2)[0]);
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static String hex(int n) {
        byte[] b = new byte[n];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
