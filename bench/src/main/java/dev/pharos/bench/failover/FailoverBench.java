package dev.pharos.bench.failover;

import dev.pharos.it.Nft;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The failover benchmark: Pharos (three configurations), PowerDNS with LUA records and gdnsd (each
 * at its defaults and tuned) watching the same three-region CDN on loopback in the same run, every
 * DNS answer polled every 50 ms while faults are injected. Writes {@code failover.md}, {@code
 * failover.png} and {@code failover-trials.csv}. Run it with {@code bench/failover/run.sh}; see
 * {@code bench/failover/README.md}.
 */
public final class FailoverBench {
    private FailoverBench() {}

    public static void main(String[] args) {
        try {
            Outcome run = run(BenchOptions.parse(args));
            System.out.println("wrote " + run.markdown());
        } catch (BenchException e) {
            System.err.println("failover bench: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** The systems, in the order of the report. */
    static List<DnsSystem> systems() {
        List<DnsSystem> systems = new ArrayList<>();
        for (PharosFleet.Set set : PharosFleet.SETS) {
            if (set.embedded()) {
                List<String> names = new ArrayList<>();
                for (int n = 1; n <= 3; n++) {
                    names.add(set.vp(n));
                }
                systems.add(
                        new DnsSystem(
                                set.id(),
                                set.label(),
                                set.settings(),
                                names,
                                set.vp(Runner.restartedVp(set)),
                                "vp3 (kill -9, start); its own DNS is judged"));
            } else {
                systems.add(
                        new DnsSystem(
                                set.id(),
                                set.label(),
                                set.settings(),
                                List.of(set.id()),
                                set.id(),
                                "vp1, the actuating vantage point (kill -9, start); BIND is"
                                        + " judged"));
            }
        }
        for (PeerDns.Config c : PeerDns.CONFIGS) {
            String what =
                    c.kind() == PeerDns.Kind.PDNS
                            ? "pdns_server (kill -9, start)"
                            : "gdnsd (kill -9, start)";
            systems.add(
                    new DnsSystem(c.id(), c.label(), c.settings(), List.of(c.id()), c.id(), what));
        }
        return systems;
    }

    /** What a run wrote, and its results as the tables and the goals read them. */
    record Outcome(Path markdown, Report report, List<Goals.Check> goals) {}

    /** Runs everything and writes the results. */
    static Outcome run(BenchOptions o) throws Exception {
        if (o.reportOnly()) {
            return rewrite(o);
        }
        Instant began = Instant.now();
        Programs tools = Programs.check(o);
        Path templates = PeerDns.templates(o.repo());
        Cdn.checkAddressesFree();
        clean(o.work());
        Files.createDirectories(o.out());
        LoadSampler load = LoadSampler.start();
        List<DnsSystem> systems = systems();
        Map<String, DnsSystem> byId = new LinkedHashMap<>();
        systems.forEach(s -> byId.put(s.id(), s));
        DnsSystem gdnsdDefaults = byId.get(PeerDns.GDNSD_DEFAULTS.id());
        List<Result> results = new ArrayList<>();
        Procs procs = new Procs(o.work());
        Thread cleanup = new Thread(procs::close, "failover-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Runner runner = null;
        try (Querier querier = new Querier(o.work(), Cdn.HOST)) {
            Cdn cdn = new Cdn(procs, o.work(), tools.backend, tools.python, tools.haproxy);
            PharosFleet fleet = new PharosFleet(procs, o.work(), o.jar(), tools.java, tools.named);
            PeerDns peers = new PeerDns(procs, templates, o.work(), tools.pdns, tools.gdnsd);
            say("starting the CDN: 3 HAProxy load balancers, 6 backends");
            cdn.start();
            say("starting BIND, 9 Pharos vantage points, PowerDNS x2, gdnsd (tuned)");
            InetSocketAddress bind = fleet.startBind();
            List<String> watched = new ArrayList<>();
            for (PharosFleet.Set set : PharosFleet.SETS) {
                List<InetSocketAddress> dns = fleet.start(set);
                if (set.embedded()) {
                    for (int n = 1; n <= 3; n++) {
                        querier.watch(set.vp(n), dns.get(n - 1));
                        watched.add(set.vp(n));
                    }
                } else {
                    querier.watch(set.id(), bind);
                    watched.add(set.id());
                }
            }
            for (PeerDns.Config c : PeerDns.CONFIGS) {
                if (c != PeerDns.GDNSD_DEFAULTS) { // it is started for its own lane, below
                    querier.watch(c.id(), peers.start(c));
                    watched.add(c.id());
                }
            }
            for (PharosFleet.Set set : PharosFleet.SETS) {
                fleet.awaitReady(set, Duration.ofSeconds(240));
            }
            awaitAnswering(querier, watched, 0, o.work());
            runner = new Runner(querier, cdn, fleet, peers, o, o.work());
            List<DnsSystem> fast = new ArrayList<>(systems);
            fast.remove(gdnsdDefaults);
            fast.forEach(runner::running);
            // Time to pass, not a wait for readiness (every server answers by now): PowerDNS starts
            // the health checks of a LUA record at the first query for it, so every system gets a
            // few rounds of checks before the settle reads their answers.
            say("warming up (PowerDNS starts its checks at the first query)");
            Sleep.ms(10_000);
            runner.settleNow();
            Analysis analysis = new Analysis(querier, runner.full());
            Random order = new Random(o.seed());
            for (int i = 1; i <= o.trials(); i++) {
                List<Scenario> round = new ArrayList<>(Report.REGION_DEAD);
                if (i <= o.otherTrials()) {
                    round.addAll(List.of(Scenario.BACKEND_FLAP, Scenario.RESTART));
                }
                Collections.shuffle(round, order);
                for (Scenario s : round) {
                    Trial t =
                            switch (s.kind) {
                                case REGION_DEAD -> runner.regionDead(s, i, fast, Runner.Lane.FAST);
                                case STEADY -> runner.steady(s, i, fast);
                                case RESTART -> runner.restart(i, fast);
                                case ALL_DEAD -> throw new IllegalStateException("not in a round");
                            };
                    record(analysis.judge(t, systems), results);
                }
            }
            // After the others: a total outage makes Pharos's blast-radius guard remember two
            // removed regions for its removal window (10 min), and within it refuse to remove a
            // third; region 1 would then stay in DNS through the next single-region trials.
            for (int i = 1; i <= o.otherTrials(); i++) {
                record(analysis.judge(runner.allDead(i, fast), systems), results);
            }
            List<DnsSystem> all = fast;
            if (o.slowTrials() > 0) {
                say("starting gdnsd at its defaults for its own lane");
                querier.watch(gdnsdDefaults.id(), peers.start(PeerDns.GDNSD_DEFAULTS));
                awaitAnswering(querier, List.of(gdnsdDefaults.id()), 0, o.work());
                runner.running(gdnsdDefaults);
                all = new ArrayList<>(fast);
                all.add(gdnsdDefaults);
                runner.settleNow();
            }
            if (o.lossSeconds() > 0) {
                if (Nft.unavailable() != null) {
                    throw new BenchException("packet loss needs nftables: " + Nft.unavailable());
                }
                say("packet loss for " + o.lossSeconds() + " s");
                record(
                        analysis.judge(runner.steady(Scenario.PACKET_LOSS, 1, all), systems),
                        results);
            }
            if (o.starveSeconds() > 0) {
                for (String tool : List.of("stress-ng", "taskset")) {
                    if (!onPath(tool)) {
                        throw new BenchException(
                                "CPU starvation needs "
                                        + tool
                                        + " (apt-get install stress-ng"
                                        + " util-linux), or --starve-seconds 0");
                    }
                }
                say(
                        "CPU starvation of one vantage point per Pharos set for "
                                + o.starveSeconds()
                                + " s");
                record(
                        analysis.judge(runner.steady(Scenario.CPU_STARVED, 1, all), systems),
                        results);
            }
            if (o.slowTrials() > 0) {
                // a fresh start: the loss may have left failures in gdnsd's counters
                peers.restart(gdnsdDefaults.id());
                awaitAnswering(querier, List.of(gdnsdDefaults.id()), querier.now(), o.work());
                runner.settleNow();
                List<DnsSystem> slow = List.of(gdnsdDefaults);
                for (int i = 1; i <= o.slowTrials(); i++) {
                    for (Scenario s : List.of(Scenario.LB_REFUSED, Scenario.LB_HANG)) {
                        Trial t = runner.regionDead(s, i, slow, Runner.Lane.SLOW);
                        record(analysis.judge(t, systems), results);
                    }
                }
            }
        } finally {
            if (runner != null) {
                runner.close();
            }
            procs.close();
            Runtime.getRuntime().removeShutdownHook(cleanup);
            load.stop();
        }
        return write(o, header(o, tools, load, began), systems, results);
    }

    /** Until every server answers a query sent at or after {@code since}, or a stop naming it. */
    private static void awaitAnswering(
            Querier querier, List<String> servers, double since, Path work) {
        for (String server : servers) {
            if (!querier.answersAfter(server, since, Duration.ofSeconds(60))) {
                throw new BenchException(
                        server
                                + " does not answer DNS queries 60 s after its start; the logs are"
                                + " in "
                                + work.resolve("logs"));
            }
        }
    }

    private static void record(List<Result> rs, List<Result> results) {
        results.addAll(rs);
        progress(rs);
    }

    private static Map<String, String> header(
            BenchOptions o, Programs tools, LoadSampler load, Instant began) {
        Duration took = Duration.between(began, Instant.now());
        Map<String, String> header = new LinkedHashMap<>();
        header.put("Command", "`" + o.command() + "`");
        header.put(
                "Date",
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                        .format(began.atOffset(ZoneOffset.UTC)));
        header.put(
                "Run time",
                String.format(
                        Locale.ROOT, "%d min %02d s", took.toMinutes(), took.toSecondsPart()));
        header.put(
                "Mode",
                String.format(
                        Locale.ROOT,
                        "%s; trials: %d of each region-dies scenario, %d of flap, all-dead and"
                                + " restart, %d per fault for gdnsd at its defaults; %d s of packet"
                                + " loss; %d s of CPU starvation; a random wait of 0.5-%.1f s before"
                                + " each fault; seed %d",
                        o.quick() ? "quick" : "full",
                        o.trials(),
                        o.otherTrials(),
                        o.slowTrials(),
                        o.lossSeconds(),
                        o.starveSeconds(),
                        (o.phaseMinMs() + o.phaseSpreadMs()) / 1000.0,
                        o.seed()));
        header.put("Machine", tools.machine());
        header.put("Load average (1 min)", load.summary());
        header.put("Software", tools.versions());
        return header;
    }

    /** Writes the table and the chart again from the CSV of an earlier run (--report-only). */
    private static Outcome rewrite(BenchOptions o) throws IOException {
        List<DnsSystem> systems = systems();
        Map<String, DnsSystem> byId = new LinkedHashMap<>();
        systems.forEach(s -> byId.put(s.id(), s));
        Map<String, String> header = new LinkedHashMap<>();
        List<Result> results = Report.readCsv(o.out().resolve("failover-trials.csv"), byId, header);
        return write(o, header, systems, results);
    }

    private static Outcome write(
            BenchOptions o,
            Map<String, String> header,
            List<DnsSystem> systems,
            List<Result> results)
            throws IOException {
        Report report = new Report(systems, results, o);
        Map<String, DnsSystem> byId = new LinkedHashMap<>();
        systems.forEach(s -> byId.put(s.id(), s));
        List<Goals.Check> goals = new Goals(report, byId).checks();
        Path png = o.out().resolve("failover.png");
        Map<String, String> shownHeader = new LinkedHashMap<>(header);
        shownHeader.remove("Chart");
        String chartProblem =
                Chart.draw(
                        report,
                        systems,
                        o.repo().resolve("bench/failover/chart.gp"),
                        o.work(),
                        png);
        if (chartProblem != null) {
            shownHeader.put("Chart", "not drawn: " + chartProblem);
        }
        Path md = o.out().resolve("failover.md");
        Files.writeString(
                md, report.markdown(shownHeader, goals.stream().map(Goals.Check::line).toList()));
        if (!o.reportOnly()) {
            report.csv(o.out().resolve("failover-trials.csv"), header);
        }
        System.out.println(Files.readString(md));
        return new Outcome(md, report, goals);
    }

    private static void progress(List<Result> rs) {
        if (rs.isEmpty()) {
            return;
        }
        Trial t = rs.get(0).trial();
        StringBuilder line =
                new StringBuilder(
                        String.format(Locale.ROOT, "%-13s #%-2d", t.scenario().id, t.index()));
        for (Result r : rs) {
            line.append("  ").append(r.system().id()).append('=');
            switch (t.scenario().kind) {
                case REGION_DEAD ->
                        line.append(Stats.s(r.detectMs()))
                                .append('/')
                                .append(Stats.s(r.recoverMs()));
                case RESTART -> line.append(r.changes()).append("ch");
                default -> line.append(r.changes()).append("ch");
            }
            if (r.falseChanges() > 0 || r.wrong() > 0) {
                line.append("(f")
                        .append(r.falseChanges())
                        .append(",w")
                        .append(r.wrong())
                        .append(')');
            }
        }
        System.out.println(line);
    }

    static void say(String what) {
        System.out.println("== " + what);
    }

    private static void clean(Path work) throws IOException {
        if (Files.exists(work)) {
            try (Stream<Path> all = Files.walk(work)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        Files.createDirectories(work);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
