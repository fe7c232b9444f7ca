package dev.pharos.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges a soak's history (history.jsonl, {@link Chaos}) against the invariants, with bounds from
 * the documented worst-case failover time (read from the status API at the start of the run and
 * kept in the history) plus a stated tolerance {@link #TOLERANCE_MS} for scheduling on a loaded
 * machine:
 *
 * <ol>
 *   <li><b>never empty</b>: every answer of a name server holds at least one address (an empty
 *       NOERROR, NXDOMAIN or an error code is a violation; no answer at all, a stopped or starting
 *       server, is not an answer);
 *   <li><b>dead address</b>: a region's address is answered only while the region is alive, or
 *       within B = detection + exchange + propagation (docs/OPERATIONS.md, "TTLs and the worst-case
 *       failover time", without the TTL: the name servers are asked directly) + tolerance of its
 *       death. Documented exceptions: every region dead or drained (the never-empty guard publishes
 *       every address) within U = rise x interval + probe timeout + exchange + tolerance before the
 *       question (the time a returning region takes to be seen UP: hold-down yields when nothing in
 *       DNS serves), a region that came back counting as dead for U after its return (nobody can
 *       have seen it UP yet: if the others die meanwhile, the guard publishes every address); and a
 *       name server that had no quorum (stopped, killed, cut off from both peers) within B before
 *       the question: it freezes its answers (docs/QUORUM.md), and its own clock of detection
 *       starts again when quorum returns;
 *   <li><b>drain</b>: a drained region's address is gone from every name server within 1 s of the
 *       drain's acknowledgement + tolerance. Exceptions: every region dead or drained (as above); a
 *       name server or the receiving instance without quorum (the drain reaches it at the heal, one
 *       exchange interval later at most); a cut link between the two (the drain reaches the name
 *       server through the third instance's snapshot, one exchange interval later at most);
 *   <li><b>journal</b>: every journal event read through the API before a kill -9 is still there,
 *       unchanged, after the restart.
 * </ol>
 *
 * With the external part (root, BIND and etcd installed): a second cluster of three (vp4-vp6) on
 * {@code pharos.coordination.provider: etcd} keeps the zone in a real BIND by RFC 2136 with the
 * {@code _pharos-writer} fence; BIND is name server 4 and joins the first two invariants with its
 * own bound B_ext = B + lease TTL + one round, and U_ext = U + lease TTL + one round for the outage
 * exception (a killed or paused writer is replaced one lease TTL after its last renewal, and the
 * new one applies in its next round); the exception for a name server without quorum becomes: a
 * fault on the instance that was the writer (or while none was) within B_ext before the question
 * (an isolated writer keeps its lease and freezes). Every drain and undrain is also sent through a
 * random writer-cluster instance (its own seeded draw): the drain bound holds on BIND for those
 * drains (never for the first cluster's), 1 s + tolerance of the acknowledgement, except after a
 * fault on the writer (or while none was) or on an etcd member: then within B_ext of that fault's
 * heal (the replacement takes over one lease TTL after the last renewal, applies in its next
 * round); after a fault on the receiving instance, one exchange interval + 1 s + tolerance after
 * its heal. The outage exception on BIND counts the writers' drains. And:
 *
 * <ol start="5">
 *   <li><b>writers</b>: no two writers' terms interleaved in BIND: once an update of term T2 was
 *       accepted, no update of an earlier term T1 &lt; T2 is accepted after it. Accepted updates
 *       are the writers' journaled {@code apply_ok} (accepted between the intent's time and the
 *       acknowledgement's, term of the intent) and every change of the fencing record seen by
 *       polling BIND every 50 ms (held between the question and the answer); see {@link
 *       #interleavings}.
 * </ol>
 */
public final class ChaosCheck {
    static final long TOLERANCE_MS = 1000;
    static final long DRAIN_MS = 1000;

    private ChaosCheck() {}

    public record Violation(String invariant, long t, String detail) {}

    /** One invariant's tally: answers or events checked, violations, the worst value seen. */
    public record Tally(String invariant, long checked, long violations, String worst) {}

    public record Fault(long t, long healed, String lane, String target, String what) {}

    /**
     * An update the external DNS server accepted under {@code term}, at some moment between {@code
     * start} and {@code end} (ms); {@code source} says what saw it.
     */
    public record Accepted(long term, long start, long end, String source) {}

    /**
     * The accepted updates that break "no two writers' terms interleaved": an update of term T1
     * whose window starts after an update of a later term T2 &gt; T1 had certainly been accepted
     * (the other's window ended before). One violation per such update, naming the latest term
     * accepted before it.
     */
    public static List<Violation> interleavings(List<Accepted> accepted) {
        List<Accepted> byEnd = new ArrayList<>(accepted);
        byEnd.sort((x, y) -> Long.compare(x.end(), y.end()));
        List<Accepted> byStart = new ArrayList<>(accepted);
        byStart.sort((x, y) -> Long.compare(x.start(), y.start()));
        List<Violation> out = new ArrayList<>();
        Accepted highest = null;
        int i = 0;
        for (Accepted a : byStart) {
            while (i < byEnd.size() && byEnd.get(i).end() < a.start()) {
                if (highest == null || byEnd.get(i).term() > highest.term()) {
                    highest = byEnd.get(i);
                }
                i++;
            }
            if (highest != null && highest.term() > a.term()) {
                out.add(
                        new Violation(
                                "writers",
                                a.start(),
                                String.format(
                                        Locale.ROOT,
                                        "an update of term %d accepted (%s, %d-%d) after one of"
                                                + " term %d (%s, by %d)",
                                        a.term(),
                                        a.source(),
                                        a.start(),
                                        a.end(),
                                        highest.term(),
                                        highest.source(),
                                        highest.end())));
            }
        }
        return out;
    }

    public record Report(
            long seed,
            long start,
            long end,
            Map<String, Double> bounds,
            List<Fault> faults,
            List<Tally> tallies,
            List<Violation> violations,
            List<String> notes,
            Map<String, Long> answers,
            int drains) {

        public String markdown(
                String command, double loadBefore, double loadAfter, boolean nft, boolean ext) {
            StringBuilder b = new StringBuilder();
            b.append("# Randomized fault soak (bench/chaos)\n\n")
                    .append("Command: `")
                    .append(command)
                    .append("` (")
                    .append(Instant.ofEpochMilli(start))
                    .append(" to ")
                    .append(Instant.ofEpochMilli(end))
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    ", load average %.2f before, %.2f after).\n\n",
                                    loadBefore,
                                    loadAfter))
                    .append("**Seed ")
                    .append(seed)
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    ", %.1f minutes of faults, %d faults and drains injected, %d invariant violations.**\n\n",
                                    (end - start) / 60000.0,
                                    faults.size(),
                                    violations.size()))
                    .append(
                            "Three vantage points (the built jar, `-Xmx160m -XX:+UseSerialGC"
                                    + " -XX:TieredStopAtLevel=1`, Pharos's default probe and exchange"
                                    + " timings, hold-down 5 s, max-removals 3), each its own embedded"
                                    + " name server at 127.0.9.1-3; three regions, each a real HAProxy"
                                    + " (127.0.61-63.1:8080) in front of two backends; every name server"
                                    + " asked for `cdn.example.test A` every 50 ms over UDP (timeout"
                                    + " 300 ms). Faults from the seed: load balancers killed or hung"
                                    + " (SIGSTOP), both or one backend killed; one vantage point at a time"
                                    + " killed -9 and restarted, SIGSTOPped"
                                    + (nft ? ", cut from both peers or from one with nftables" : "")
                                    + "; drains and undrains through random running instances."
                                    + (nft
                                            ? ""
                                            : " (Not root or no nftables: no partitions in this run.)")
                                    + (ext
                                            ? " The writers: three more instances (vp4-vp6 at"
                                                    + " 127.0.9.4-6, same regions and timings) on"
                                                    + " `pharos.coordination.provider: etcd` (a"
                                                    + " three-member etcd cluster at 127.0.94.1-3,"
                                                    + " heartbeat 100 ms, election 1 s, lease TTL 3 s)"
                                                    + " keep `cdn.example.test` in a real BIND"
                                                    + " (127.0.0.1, name server 4, asked like the"
                                                    + " others) by RFC 2136 with the `_pharos-writer`"
                                                    + " fence, polled with the SOA every 50 ms; one"
                                                    + " fault at a time among them, aimed at the"
                                                    + " writer (or its etcd member) two times in"
                                                    + " three: an etcd member killed or SIGSTOPped"
                                                    + " and brought back, a writer killed -9 and"
                                                    + " restarted, SIGSTOPped"
                                                    + (nft ? ", cut from both peers" : "")
                                                    + ", or SIGSTOPped while its update is kept back"
                                                    + " in its proxy to BIND until another writer holds"
                                                    + " the fence, then the late update delivered and"
                                                    + " the writer continued (RFC 2136 timeout 60 s)"
                                                    + "; every drain and undrain is also sent through"
                                                    + " a random writer and judged on BIND.\n\n"
                                            : " (Not root, or no named or etcd: no writers and no"
                                                    + " writer invariant in this run.)\n\n"))
                    .append("Bounds (seconds): ");
            List<String> parts = new ArrayList<>();
            bounds.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.2f", k, v)));
            b.append(String.join(", ", parts)).append(".\n\n");
            b.append("Answers: ");
            List<String> a = new ArrayList<>();
            answers.forEach((k, v) -> a.add(k + " " + v));
            b.append(String.join(", ", a)).append(".\n\n");
            b.append(
                    "| invariant | checked | violations | worst seen |\n| --- | ---: | ---: | --- |\n");
            for (Tally t : tallies) {
                b.append("| ")
                        .append(t.invariant())
                        .append(" | ")
                        .append(t.checked())
                        .append(" | ")
                        .append(t.violations())
                        .append(" | ")
                        .append(t.worst())
                        .append(" |\n");
            }
            b.append("\n## Violations\n\n");
            if (violations.isEmpty()) {
                b.append("None.\n");
            } else {
                b.append("| at (s) | invariant | detail |\n| ---: | --- | --- |\n");
                for (Violation v : violations.subList(0, Math.min(200, violations.size()))) {
                    b.append(
                            String.format(
                                    Locale.ROOT,
                                    "| %.3f | %s | %s |\n",
                                    (v.t() - start) / 1000.0,
                                    v.invariant(),
                                    v.detail()));
                }
                if (violations.size() > 200) {
                    b.append("\n(")
                            .append(violations.size() - 200)
                            .append(" more in the history.)\n");
                }
            }
            if (!notes.isEmpty()) {
                b.append("\n## Harness notes\n\n");
                notes.forEach(n -> b.append("- ").append(n).append('\n'));
            }
            b.append(
                    "\n## Faults\n\nSeconds from the start; a drain is healed by its undrain (the acknowledgement).\n\n| at (s) | healed (s) | lane | target | fault |\n| ---: | ---: | --- | --- | --- |\n");
            for (Fault f : faults) {
                b.append(
                        String.format(
                                Locale.ROOT,
                                "| %.1f | %s | %s | %s | %s |\n",
                                (f.t() - start) / 1000.0,
                                f.healed() < 0
                                        ? "—"
                                        : String.format(
                                                Locale.ROOT, "%.1f", (f.healed() - start) / 1000.0),
                                f.lane(),
                                f.target(),
                                f.what()));
            }
            return b.toString();
        }
    }

    /**
     * A drain acknowledged at {@code ack} through vantage point {@code via}, cleared at {@code
     * until}; {@code ext}: through the writers (vp4-vp6), judged on BIND.
     */
    private record Drain(String region, long ack, long until, int via, boolean ext) {}

    private record Span(long from, long to) {
        boolean meets(long a, long b) {
            return from <= b && to >= a;
        }
    }

    /**
     * Judges a history again: {@code ChaosCheck HISTORY [TABLE [COMMAND LOAD_BEFORE LOAD_AFTER]]},
     * the last three as the run's table had them.
     */
    public static void main(String[] args) throws Exception {
        Report r = check(Path.of(args[0]));
        boolean nft = false;
        boolean ext = false;
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]))) {
            JsonNode meta = History.JSON.readTree(in.readLine());
            nft = meta.path("partitions").asBoolean();
            ext = meta.path("external").asBoolean();
        }
        String md =
                args.length >= 5
                        ? r.markdown(
                                args[2],
                                Double.parseDouble(args[3]),
                                Double.parseDouble(args[4]),
                                nft,
                                ext)
                        : r.markdown("ChaosCheck " + args[0], Double.NaN, Double.NaN, nft, ext);
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), md);
        }
        System.out.println(md);
        System.exit(r.violations().isEmpty() ? 0 : 1);
    }

    public static Report check(Path history) throws IOException {
        List<JsonNode> entries = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(history, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    try {
                        entries.add(History.JSON.readTree(line));
                    } catch (IOException e) {
                        // a line cut short by a crash: the rest is still judged
                    }
                }
            }
        }
        JsonNode meta = null;
        for (JsonNode e : entries) {
            if (e.get("k").asText().equals("meta")) {
                meta = e;
                break;
            }
        }
        if (meta == null) {
            throw new IllegalStateException(
                    "no meta line in " + history + ": the run never started");
        }
        long last = entries.stream().mapToLong(e -> e.get("t").asLong()).max().orElse(0);
        long B =
                Math.round(
                                1000
                                        * (meta.get("detectionSeconds").asDouble()
                                                + meta.get("exchangeSeconds").asDouble()
                                                + meta.get("propagationSeconds").asDouble()))
                        + TOLERANCE_MS;
        long exchange = Math.round(1000 * meta.get("exchangeInterval").asDouble());
        long U =
                Math.round(
                                1000
                                        * (meta.get("riseSeconds").asDouble()
                                                + meta.get("probeTimeoutSeconds").asDouble()
                                                + meta.get("exchangeInterval").asDouble()))
                        + TOLERANCE_MS;
        Map<String, Double> bounds = new LinkedHashMap<>();
        bounds.put("B (dead address)", B / 1000.0);
        bounds.put("U (a region seen UP again)", U / 1000.0);
        bounds.put("drain", (DRAIN_MS + TOLERANCE_MS) / 1000.0);
        boolean external = meta.path("external").asBoolean();
        long extra =
                external
                        ? Math.round(
                                1000
                                        * (meta.get("leaseTtlSeconds").asDouble()
                                                + meta.get("roundSeconds").asDouble()
                                                + meta.get("externalPropagationSeconds")
                                                        .asDouble()))
                        : 0;
        long bExt = B + extra;
        long uExt = U + extra;
        if (external) {
            bounds.put("B_ext (dead address, BIND)", bExt / 1000.0);
            bounds.put("U_ext (BIND)", uExt / 1000.0);
        }
        bounds.put("of which tolerance", TOLERANCE_MS / 1000.0);

        Map<String, String> regionOf = new HashMap<>();
        for (JsonNode r : meta.get("regions")) {
            regionOf.put(r.get("address").asText(), r.get("name").asText());
        }
        List<String> regionNames = new ArrayList<>(regionOf.values());
        regionNames.sort(null);

        // ground truth
        Map<String, TreeMap<Long, Boolean>> alive = new HashMap<>();
        // drains of the first cluster (vp1-vp3) and of the writers (vp4-vp6, BIND), keyed by
        // region, the writers' with "w:" before it
        Map<String, List<Span>> drained = new HashMap<>();
        Map<String, List<Span>> drainedExt = new HashMap<>();
        Map<String, Long> drainStart = new HashMap<>();
        Map<String, Integer> drainVia = new HashMap<>();
        List<Drain> drains = new ArrayList<>();
        Map<Integer, List<Span>> impaired = new HashMap<>();
        Map<String, List<Span>> cuts = new HashMap<>();
        Map<String, Long> open = new HashMap<>();
        List<Fault> faults = new ArrayList<>();
        Map<String, Integer> openFault = new HashMap<>();
        List<String> notes = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        long journalChecked = 0;
        long journalMissing = 0;
        for (String r : regionNames) {
            alive.put(r, new TreeMap<>(Map.of(0L, true)));
            drained.put(r, new ArrayList<>());
            drainedExt.put(r, new ArrayList<>());
        }
        for (int i = 1; i <= 6; i++) {
            impaired.put(i, new ArrayList<>());
        }
        // faults on the instance that was the writer (or while none was): they freeze BIND
        List<Span> writerImpaired = new ArrayList<>();
        Map<String, Long> writerOpen = new HashMap<>();
        // faults on an etcd member: the writer's lease may lapse, a new one takes over
        List<Span> etcdImpaired = new ArrayList<>();
        long fenced = 0;
        long inFlight = 0;
        long inFlightTakenOver = 0;
        List<Accepted> accepted = new ArrayList<>();
        long fencePolls = 0;
        long applies = 0;
        long appliesWithoutTerm = 0;
        long termChangedInFlight = 0;
        java.util.TreeSet<Long> terms = new java.util.TreeSet<>();
        long serialChanges = 0;
        long lastSerial = Long.MIN_VALUE;
        long lastFenceTerm = Long.MIN_VALUE;
        long fenceChanges = 0;
        for (JsonNode e : entries) {
            long t = e.get("t").asLong();
            switch (e.get("k").asText()) {
                case "region" ->
                        alive.get(e.get("region").asText()).put(t, e.get("alive").asBoolean());
                case "drain" -> {
                    if (e.get("status").asInt() == 200) {
                        String r = e.get("region").asText();
                        String dk = drainKey(e);
                        drainStart.putIfAbsent(dk, t);
                        drainVia.putIfAbsent(dk, e.get("via").asInt());
                        openFault.putIfAbsent("drain/" + dk, faults.size());
                        faults.add(
                                new Fault(
                                        t, -1, "drain", r, "drain via vp" + e.get("via").asInt()));
                    }
                }
                case "undrain" -> {
                    String dk = drainKey(e);
                    if (e.get("status").asInt() == 200 && openFault.containsKey("drain/" + dk)) {
                        int idx = openFault.remove("drain/" + dk);
                        Fault f = faults.get(idx);
                        faults.set(
                                idx,
                                new Fault(
                                        f.t(),
                                        t,
                                        f.lane(),
                                        f.target(),
                                        f.what() + ", undrain via vp" + e.get("via").asInt()));
                    }
                    if (e.get("status").asInt() == 200 && drainStart.containsKey(dk)) {
                        String r = e.get("region").asText();
                        boolean ext = dk.startsWith("w:");
                        long s = drainStart.remove(dk);
                        long until = e.get("sent").asLong();
                        (ext ? drainedExt : drained).get(r).add(new Span(s, until));
                        drains.add(new Drain(r, s, until, drainVia.remove(dk), ext));
                    }
                }
                case "fault", "heal" -> {
                    boolean start = e.get("k").asText().equals("fault");
                    String key =
                            e.get("lane").asText()
                                    + "/"
                                    + e.get("target").asText()
                                    + "/"
                                    + e.get("what").asText();
                    if (start) {
                        openFault.put(key, faults.size());
                        faults.add(
                                new Fault(
                                        t,
                                        -1,
                                        e.get("lane").asText(),
                                        e.get("target").asText(),
                                        e.get("what").asText()
                                                + (e.has("other")
                                                        ? " vp" + e.get("other").asInt()
                                                        : "")));
                    } else if (openFault.containsKey(key)) {
                        int idx = openFault.remove(key);
                        Fault f = faults.get(idx);
                        faults.set(idx, new Fault(f.t(), t, f.lane(), f.target(), f.what()));
                    }
                    if (e.get("lane").asText().equals("writer") && !e.has("vp")) {
                        String k = "etcd/" + e.get("target").asText();
                        if (start) {
                            writerOpen.put(k, t);
                        } else if (writerOpen.containsKey(k)) {
                            etcdImpaired.add(new Span(writerOpen.remove(k), t));
                        }
                    }
                    if (e.get("lane").asText().equals("writer") && e.has("vp")) {
                        // the instance itself, whether the writer or not (a drain's receiver)
                        String own = "vp" + e.get("vp").asInt();
                        if (start) {
                            open.put(own, t);
                        } else if (open.containsKey(own)) {
                            impaired.get(e.get("vp").asInt()).add(new Span(open.remove(own), t));
                        }
                        String k = "w" + e.get("target").asText();
                        String was = e.path("writer").asText();
                        if (start && (was.equals("none") || was.equals(e.get("target").asText()))) {
                            writerOpen.put(k, t);
                        } else if (!start && writerOpen.containsKey(k)) {
                            writerImpaired.add(new Span(writerOpen.remove(k), t));
                        }
                    }
                    if (e.get("lane").asText().equals("vp")) {
                        String what = e.get("what").asText();
                        int vp = e.get("vp").asInt();
                        String k =
                                what.equals("cut") ? link(vp, e.get("other").asInt()) : "vp" + vp;
                        if (start) {
                            open.put(k, t);
                        } else if (open.containsKey(k)) {
                            Span s = new Span(open.remove(k), t);
                            if (what.equals("cut")) {
                                cuts.computeIfAbsent(k, x -> new ArrayList<>()).add(s);
                            } else {
                                impaired.get(vp).add(s);
                            }
                        }
                    }
                }
                case "journal" -> {
                    journalChecked += e.path("checked").asLong();
                    if (e.has("error")) {
                        notes.add(
                                "vp"
                                        + e.get("vp").asInt()
                                        + " journal: "
                                        + e.get("error").asText());
                    }
                    for (JsonNode m : e.path("missing")) {
                        journalMissing++;
                        violations.add(
                                new Violation(
                                        "journal",
                                        t,
                                        "vp" + e.get("vp").asInt() + ": " + m.asText()));
                    }
                }
                case "fence" -> {
                    fencePolls++;
                    long term = e.get("term").asLong();
                    if (term != lastFenceTerm) {
                        fenceChanges++;
                        lastFenceTerm = term;
                    }
                    long serial = e.get("serial").asLong();
                    if (serial != lastSerial) {
                        if (lastSerial != Long.MIN_VALUE) {
                            serialChanges++;
                        }
                        lastSerial = serial;
                    }
                    accepted.add(new Accepted(term, e.get("s").asLong(), t, "fence in BIND"));
                }
                case "fencepolls" -> fencePolls = e.get("n").asLong();
                case "applies" -> fenced += e.path("fenced").asLong();
                case "in-flight" -> {
                    inFlight++;
                    if (e.path("takenOver").asBoolean()) {
                        inFlightTakenOver++;
                    }
                }
                case "apply" -> {
                    applies++;
                    long term = e.get("term").asLong();
                    if (term != e.path("okTerm").asLong(term)) {
                        termChangedInFlight++;
                    }
                    if (term < 0) {
                        appliesWithoutTerm++;
                    } else {
                        terms.add(term);
                        accepted.add(
                                new Accepted(
                                        term,
                                        e.get("start").asLong(),
                                        e.get("end").asLong(),
                                        e.get("node").asText()
                                                + " apply_ok #"
                                                + e.get("seq").asLong()));
                    }
                }
                case "note" ->
                        notes.add(
                                String.format(
                                        Locale.ROOT,
                                        "%.1f s: %s: %s",
                                        (t - meta.get("t").asLong()) / 1000.0,
                                        e.get("what").asText(),
                                        e.get("detail").asText()));
                default -> {}
            }
        }
        // faults or drains still open at the end last until the end
        drainStart.forEach(
                (dk, s) -> {
                    boolean ext = dk.startsWith("w:");
                    String r = ext ? dk.substring(2) : dk;
                    (ext ? drainedExt : drained).get(r).add(new Span(s, last));
                    drains.add(new Drain(r, s, last, drainVia.get(dk), ext));
                });
        writerOpen.forEach(
                (k, s) ->
                        (k.startsWith("etcd/") ? etcdImpaired : writerImpaired)
                                .add(new Span(s, Long.MAX_VALUE)));
        open.forEach(
                (k, s) -> {
                    if (k.startsWith("vp")) {
                        impaired.get(Integer.parseInt(k.substring(2)))
                                .add(new Span(s, Long.MAX_VALUE));
                    } else {
                        cuts.computeIfAbsent(k, x -> new ArrayList<>())
                                .add(new Span(s, Long.MAX_VALUE));
                    }
                });
        // outage: every region dead or drained; as spans
        List<Span> outages = outages(alive, drained, regionNames, last, U);
        // ... for BIND: the writers' own drains (their cluster's never-empty guard)
        List<Span> outagesExt = outages(alive, drainedExt, regionNames, last, uExt);
        List<Span> writersSide = new ArrayList<>(writerImpaired);
        writersSide.addAll(etcdImpaired);

        long start = meta.get("t").asLong();
        long queries = 0;
        Map<String, Long> answers = new TreeMap<>();
        long emptyChecked = 0, empty = 0;
        long deadChecked = 0, dead = 0, deadWorst = 0;
        Map<String, Long> exempted = new TreeMap<>();
        // the longest a healed name server went on answering a long-dead address after its heal
        long afterHeal = 0;
        // questions without an answer from a name server that no fault touched for B before
        long silentWhole = 0;
        long drainChecked = 0, drainViol = 0;
        long extQuestions = 0, extSilent = 0, extChecked = 0, extEmpty = 0;
        long extDeadChecked = 0, extDead = 0, extWorst = 0;
        Map<String, Long> extExempted = new TreeMap<>();
        long[] worstDrain = {-1, -1, -1, -1, -1}; // -1: no drain measured there
        long extDrainsMeasured = 0;
        long extDrainChecked = 0, extDrainViol = 0;
        // per drain and name server: the first answer after the ack without the address
        Map<String, Long> firstWithout = new HashMap<>();
        // ... and those whose name server left a question unanswered before it (starting up)
        java.util.Set<String> silentBefore = new java.util.HashSet<>();
        for (JsonNode e : entries) {
            if (!e.get("k").asText().equals("q")) {
                continue;
            }
            queries++;
            int ns = e.get("ns").asInt();
            long s = e.get("s").asLong();
            String rc = e.get("rc").asText();
            answers.merge(rc, 1L, Long::sum);
            if (ns == 4) {
                extQuestions++;
                if (rc.equals("TIMEOUT") || rc.equals("ERROR")) {
                    extSilent++;
                    markSilent(drains, true, ns, s, firstWithout, silentBefore);
                    continue;
                }
                extChecked++;
                List<String> values = addresses(e);
                if (!rc.equals("NOERROR") || values.isEmpty()) {
                    extEmpty++;
                    violations.add(
                            new Violation(
                                    "never empty (BIND)", s, "BIND answered " + rc + " " + values));
                    continue;
                }
                for (String addr : values) {
                    String region = regionOf.get(addr);
                    if (region == null) {
                        violations.add(
                                new Violation(
                                        "dead address (BIND)",
                                        s,
                                        "BIND answered an unknown address " + addr));
                        continue;
                    }
                    extDeadChecked++;
                    Map.Entry<Long, Boolean> state = alive.get(region).floorEntry(s);
                    if (state.getValue()) {
                        continue;
                    }
                    long late = s - state.getKey();
                    if (meets(outagesExt, s - uExt, s)) {
                        extExempted.merge("every region dead or drained", 1L, Long::sum);
                        continue;
                    }
                    if (meets(writerImpaired, s - bExt, s)) {
                        extExempted.merge("a fault on the writer", 1L, Long::sum);
                        continue;
                    }
                    extWorst = Math.max(extWorst, late);
                    if (late <= bExt) {
                        continue;
                    }
                    extDead++;
                    violations.add(
                            new Violation(
                                    "dead address (BIND)",
                                    s,
                                    String.format(
                                            Locale.ROOT,
                                            "BIND answered %s (%s) %.3f s after it died: %s",
                                            addr,
                                            region,
                                            late / 1000.0,
                                            values)));
                }
                // drains through the writers: gone from BIND within the drain bound, or within
                // B_ext of the heal of a fault on the writer or an etcd member (a new writer takes
                // over one lease TTL after the last renewal and applies in its next round)
                for (Drain d : drains) {
                    if (!d.ext() || s < d.ack() || s >= d.until()) {
                        continue;
                    }
                    String addr = addressOf(regionOf, d.region());
                    extDrainChecked++;
                    if (!values.contains(addr)) {
                        firstWithout.putIfAbsent(d.region() + "@" + d.ack() + "/" + ns, s);
                        continue;
                    }
                    long deadline = d.ack() + DRAIN_MS + TOLERANCE_MS;
                    long end = latestEnd(writersSide, d.ack() - bExt, s);
                    if (end >= 0) {
                        deadline = Math.max(deadline, end == Long.MAX_VALUE ? end : end + bExt);
                    }
                    long via = latestEnd(impaired.get(d.via()), d.ack(), s);
                    if (via >= 0) {
                        deadline =
                                Math.max(
                                        deadline,
                                        via == Long.MAX_VALUE
                                                ? via
                                                : via + exchange + DRAIN_MS + TOLERANCE_MS);
                    }
                    if (s <= deadline || meets(outagesExt, s - uExt, s)) {
                        continue;
                    }
                    extDrainViol++;
                    violations.add(
                            new Violation(
                                    "drain (BIND)",
                                    s,
                                    String.format(
                                            Locale.ROOT,
                                            "BIND answered drained %s (%s) %.3f s after the drain"
                                                    + " via vp%d was acknowledged: %s",
                                            d.region(),
                                            addr,
                                            (s - d.ack()) / 1000.0,
                                            d.via(),
                                            values)));
                }
                continue;
            }
            if (rc.equals("TIMEOUT") || rc.equals("ERROR")) {
                if (latestEnd(impaired.get(ns), s - B, s) < 0) {
                    silentWhole++;
                }
                markSilent(drains, false, ns, s, firstWithout, silentBefore);
                continue;
            }
            emptyChecked++;
            List<String> values = addresses(e);
            if (!rc.equals("NOERROR") || values.isEmpty()) {
                empty++;
                violations.add(
                        new Violation(
                                "never empty", s, "vp" + ns + " answered " + rc + " " + values));
                continue;
            }
            for (String addr : values) {
                String region = regionOf.get(addr);
                if (region == null) {
                    violations.add(
                            new Violation(
                                    "dead address",
                                    s,
                                    "vp" + ns + " answered an unknown address " + addr));
                    continue;
                }
                deadChecked++;
                Map.Entry<Long, Boolean> state = alive.get(region).floorEntry(s);
                if (state.getValue()) {
                    continue;
                }
                long died = state.getKey();
                long late = s - died;
                long impairedEnd = latestEnd(impaired.get(ns), died, s);
                if (meets(outages, s - U, s)) {
                    exempted.merge("every region dead or drained", 1L, Long::sum);
                    continue;
                }
                if (impairedEnd >= 0 && s - impairedEnd <= B) {
                    exempted.merge("its name server without quorum", 1L, Long::sum);
                    if (late > B && impairedEnd != Long.MAX_VALUE) {
                        afterHeal = Math.max(afterHeal, s - impairedEnd);
                    }
                    continue;
                }
                deadWorst = Math.max(deadWorst, late);
                if (late <= B) {
                    continue;
                }
                dead++;
                violations.add(
                        new Violation(
                                "dead address",
                                s,
                                String.format(
                                        Locale.ROOT,
                                        "vp%d answered %s (%s) %.3f s after it died%s: %s",
                                        ns,
                                        addr,
                                        region,
                                        late / 1000.0,
                                        impairedEnd >= 0
                                                ? String.format(
                                                        Locale.ROOT,
                                                        " (vp%d whole again %.3f s before)",
                                                        ns,
                                                        (s - impairedEnd) / 1000.0)
                                                : "",
                                        values)));
            }
            // drains
            for (Drain d : drains) {
                if (d.ext() || s < d.ack() || s >= d.until()) {
                    continue;
                }
                String addr = addressOf(regionOf, d.region());
                String key = d.region() + "@" + d.ack() + "/" + ns;
                if (!values.contains(addr)) {
                    firstWithout.putIfAbsent(key, s);
                    continue;
                }
                drainChecked++;
                long deadline = d.ack() + DRAIN_MS + TOLERANCE_MS;
                boolean exempt = false;
                for (int vp : new int[] {ns, d.via()}) {
                    long end = latestEnd(impaired.get(vp), d.ack(), s);
                    if (end == Long.MAX_VALUE) {
                        exempt = true;
                    } else if (end >= 0) {
                        deadline = Math.max(deadline, end + exchange + DRAIN_MS + TOLERANCE_MS);
                    }
                }
                if (ns != d.via()) {
                    long end =
                            latestEnd(cuts.getOrDefault(link(ns, d.via()), List.of()), d.ack(), s);
                    if (end >= 0) {
                        deadline = Math.max(deadline, d.ack() + exchange + DRAIN_MS + TOLERANCE_MS);
                    }
                }
                if (exempt || s <= deadline || meets(outages, s - U, s)) {
                    continue;
                }
                drainViol++;
                violations.add(
                        new Violation(
                                "drain",
                                s,
                                String.format(
                                        Locale.ROOT,
                                        "vp%d answered drained %s (%s) %.3f s after the drain via"
                                                + " vp%d was acknowledged: %s",
                                        ns,
                                        d.region(),
                                        addr,
                                        (s - d.ack()) / 1000.0,
                                        d.via(),
                                        values)));
            }
        }
        for (Drain d : drains) {
            if (d.ext()) {
                String key = d.region() + "@" + d.ack() + "/4";
                Long w = firstWithout.get(key);
                if (w != null
                        && !silentBefore.contains(key)
                        && latestEnd(writersSide, d.ack() - bExt, w) < 0
                        && latestEnd(impaired.get(d.via()), d.ack(), w) < 0
                        && !meets(outagesExt, d.ack() - uExt, w)) {
                    worstDrain[4] = Math.max(worstDrain[4], w - d.ack());
                    extDrainsMeasured++;
                }
                continue;
            }
            for (int ns = 1; ns <= 3; ns++) {
                String key = d.region() + "@" + d.ack() + "/" + ns;
                Long w = firstWithout.get(key);
                if (w == null
                        || silentBefore.contains(key)
                        || latestEnd(impaired.get(ns), d.ack(), w) >= 0
                        || latestEnd(impaired.get(d.via()), d.ack(), w) >= 0
                        || latestEnd(cuts.getOrDefault(link(ns, d.via()), List.of()), d.ack(), w)
                                >= 0
                        || meets(outages, d.ack() - U, w)) {
                    continue;
                }
                worstDrain[ns] = Math.max(worstDrain[ns], w - d.ack());
            }
        }
        List<Tally> tallies = new ArrayList<>();
        tallies.add(new Tally("never an empty answer (answers)", emptyChecked, empty, "—"));
        tallies.add(
                new Tally(
                        "dead address served only within B of the death (addresses answered)",
                        deadChecked,
                        dead,
                        String.format(
                                Locale.ROOT,
                                "latest dead address answered: %.3f s after the death;"
                                        + " exempted answers: %s; a name server whole again"
                                        + " answered an address dead for longer than B up to"
                                        + " %.3f s after its heal",
                                deadWorst / 1000.0,
                                exempted,
                                afterHeal / 1000.0)));
        tallies.add(
                new Tally(
                        "drained region gone within 1 s + tolerance (answers holding a drained address)",
                        drainChecked,
                        drainViol,
                        String.format(
                                Locale.ROOT,
                                "%d drains; first answer without the region after the"
                                        + " acknowledgement, worst where no fault touched the name"
                                        + " server or the receiving instance and the name server"
                                        + " answered every question in between: vp1 %s, vp2 %s, vp3"
                                        + " %s",
                                drains.stream().filter(d -> !d.ext()).count(),
                                seconds(worstDrain[1]),
                                seconds(worstDrain[2]),
                                seconds(worstDrain[3]))));
        tallies.add(
                new Tally(
                        "journal events kept across kill -9 (events compared)",
                        journalChecked,
                        journalMissing,
                        "—"));
        if (external) {
            tallies.add(
                    new Tally("BIND: never an empty answer (answers)", extChecked, extEmpty, "—"));
            tallies.add(
                    new Tally(
                            "BIND: dead address served only within B_ext of the death (addresses"
                                    + " answered)",
                            extDeadChecked,
                            extDead,
                            String.format(
                                    Locale.ROOT,
                                    "latest dead address answered: %.3f s after the death;"
                                            + " exempted answers: %s; questions %d, unanswered %d",
                                    extWorst / 1000.0,
                                    extExempted,
                                    extQuestions,
                                    extSilent)));
            tallies.add(
                    new Tally(
                            "BIND: region drained through the writers gone within 1 s + tolerance,"
                                    + " or B_ext after a fault on the writer or an etcd member"
                                    + " healed (BIND's answers while a region was drained through"
                                    + " the writers)",
                            extDrainChecked,
                            extDrainViol,
                            String.format(
                                    Locale.ROOT,
                                    "%d drains; first answer without the region after the"
                                            + " acknowledgement, worst where no fault touched the"
                                            + " writers' side or the receiving instance: %s (%d"
                                            + " drains measured)",
                                    drains.stream().filter(Drain::ext).count(),
                                    seconds(worstDrain[4]),
                                    extDrainsMeasured)));
            List<Violation> inter = interleavings(accepted);
            violations.addAll(inter);
            tallies.add(
                    new Tally(
                            "writers: no two terms interleaved in BIND (accepted updates: apply_ok"
                                    + " with a term + fence changes seen)",
                            accepted.size(),
                            inter.size(),
                            String.format(
                                    Locale.ROOT,
                                    "terms that applied: %d (%s); fence changes seen: %d;"
                                            + " SOA serial changes seen: %d; fence polls: %d;"
                                            + " apply_ok journaled: %d, without a term: %d, term"
                                            + " changed between intent and ack: %d; writers"
                                            + " paused with an update in flight: %d, another writer"
                                            + " holding the fence before it was delivered: %d;"
                                            + " updates refused by the fence (a superseded"
                                            + " writer's, journaled as fenced): %d",
                                    terms.size(),
                                    terms.size() <= 12
                                            ? terms.toString()
                                            : terms.first() + ".." + terms.last(),
                                    fenceChanges,
                                    serialChanges,
                                    fencePolls,
                                    applies,
                                    appliesWithoutTerm,
                                    termChangedInFlight,
                                    inFlight,
                                    inFlightTakenOver,
                                    fenced)));
        }
        violations.sort((x, y) -> Long.compare(x.t(), y.t()));
        answers.put("questions", queries);
        answers.put("unanswered by a name server no fault touched within B", silentWhole);
        return new Report(
                meta.get("seed").asLong(),
                start,
                last,
                bounds,
                faults,
                tallies,
                violations,
                notes,
                answers,
                (int) drains.stream().filter(d -> !d.ext()).count());
    }

    /** Milliseconds as seconds ("0.066 s"), or "—" for none (negative). */
    private static String seconds(long ms) {
        return ms < 0 ? "—" : String.format(Locale.ROOT, "%.3f s", ms / 1000.0);
    }

    /** The addresses a name server answered ({@code v} of a question). */
    private static List<String> addresses(JsonNode q) {
        List<String> values = new ArrayList<>();
        q.path("v").forEach(v -> values.add(v.asText()));
        return values;
    }

    /** The region key of a drain or undrain in the history: the writers' with "w:" before it. */
    private static String drainKey(JsonNode e) {
        String r = e.get("region").asText();
        return e.path("cluster").asText("").equals("writers") ? "w:" + r : r;
    }

    /**
     * Name server {@code ns} left the question sent at {@code s} unanswered: for each drain of its
     * kind ({@code ext}, the writers' for BIND) not yet seen gone there, its first answer without
     * the region is no measure of the drain (the server was starting, stopped or cut).
     */
    private static void markSilent(
            List<Drain> drains,
            boolean ext,
            int ns,
            long s,
            Map<String, Long> firstWithout,
            java.util.Set<String> silentBefore) {
        for (Drain d : drains) {
            String key = d.region() + "@" + d.ack() + "/" + ns;
            if (d.ext() == ext && s >= d.ack() && s < d.until() && !firstWithout.containsKey(key)) {
                silentBefore.add(key);
            }
        }
    }

    private static String link(int a, int b) {
        return "link" + Math.min(a, b) + "-" + Math.max(a, b);
    }

    private static String addressOf(Map<String, String> regionOf, String region) {
        for (Map.Entry<String, String> e : regionOf.entrySet()) {
            if (e.getValue().equals(region)) {
                return e.getKey();
            }
        }
        return "?";
    }

    /** The latest end of a span meeting [a, b] (Long.MAX_VALUE if one is still open), or -1. */
    private static long latestEnd(List<Span> spans, long a, long b) {
        long end = -1;
        for (Span s : spans) {
            if (s.meets(a, b)) {
                end = Math.max(end, s.to());
            }
        }
        return end;
    }

    private static boolean meets(List<Span> spans, long a, long b) {
        for (Span s : spans) {
            if (s.meets(a, b)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The spans in which every region is dead or drained, a region that came back counting as dead
     * until {@code seenUp} (U) after its return: no vantage point can have seen it UP before, so
     * the never-empty guard still publishes every address if the others die meanwhile.
     */
    private static List<Span> outages(
            Map<String, TreeMap<Long, Boolean>> alive,
            Map<String, List<Span>> drained,
            List<String> regions,
            long last,
            long seenUp) {
        java.util.TreeSet<Long> moments = new java.util.TreeSet<>();
        alive.values()
                .forEach(
                        m ->
                                m.forEach(
                                        (k, up) -> {
                                            moments.add(k);
                                            if (up && k > 0) {
                                                moments.add(k + seenUp);
                                            }
                                        }));
        drained.values()
                .forEach(
                        l ->
                                l.forEach(
                                        s -> {
                                            moments.add(s.from());
                                            moments.add(s.to());
                                        }));
        List<Span> out = new ArrayList<>();
        Long openAt = null;
        for (long m : moments) {
            boolean all = true;
            for (String r : regions) {
                Map.Entry<Long, Boolean> st = alive.get(r).floorEntry(m);
                boolean up = st.getValue() && (st.getKey() == 0 || m >= st.getKey() + seenUp);
                boolean dr = false;
                for (Span s : drained.get(r)) {
                    if (s.from() <= m && m < s.to()) {
                        dr = true;
                    }
                }
                if (up && !dr) {
                    all = false;
                }
            }
            if (all && openAt == null) {
                openAt = m;
            } else if (!all && openAt != null) {
                out.add(new Span(openAt, m));
                openAt = null;
            }
        }
        if (openAt != null) {
            out.add(new Span(openAt, last));
        }
        return out;
    }
}
