package dev.pharos.reconcile;

import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.GuardFiring;
import dev.pharos.decision.RegionState;
import dev.pharos.decision.RegionStatus;
import dev.pharos.decision.RelayDecision;
import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.journal.Severity;
import dev.pharos.observation.Health;
import dev.pharos.quorum.QuorumStatus;
import dev.pharos.quorum.Verdict;
import dev.pharos.quorum.VerdictChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Turns what the pipeline concluded into journal events, with their evidence. */
final class EventRecorder {
    private final Topology topology;
    private final Journal journal;

    EventRecorder(Topology topology, Journal journal) {
        this.topology = topology;
        this.journal = journal;
    }

    /** The ballots of the last evaluation, by target (set by the pipeline before recording). */
    private java.util.function.Function<String, Map<String, String>> ballots = id -> Map.of();

    void ballots(java.util.function.Function<String, Map<String, String>> byTarget) {
        this.ballots = byTarget;
    }

    void verdictChanged(VerdictChange c) {
        Verdict v = c.to();
        Target t = topology.targetsById().get(v.targetId());
        journal.append(
                EventType.VERDICT_CHANGED,
                v.health() == Health.DOWN ? Severity.WARNING : Severity.INFO,
                t == null ? null : t.region().orElse(null),
                v.targetId(),
                v.targetId() + " " + c.from().health() + " -> " + v.health() + ": " + v.reason(),
                verdictData(v));
    }

    Map<String, Object> verdictData(Verdict v) {
        Map<String, Object> d = new LinkedHashMap<>();
        Map<String, String> votes = ballots.apply(v.targetId());
        if (!votes.isEmpty()) {
            d.put("votes", votes);
        }
        d.put("health", v.health().name());
        d.put("up", v.up());
        d.put("down", v.down());
        d.put("counted", v.counted());
        d.put("quorum", v.quorum());
        d.put("reason", v.reason());
        return d;
    }

    void quorumChanged(QuorumStatus q) {
        if (q.held()) {
            journal.append(
                    EventType.QUORUM_REGAINED,
                    Severity.INFO,
                    null,
                    null,
                    "quorum regained: "
                            + q.reachable()
                            + " of "
                            + q.vantagePoints()
                            + " vantage points reachable",
                    Map.of("reachable", q.reachable(), "size", q.size()));
        } else {
            journal.append(
                    EventType.QUORUM_LOST,
                    Severity.CRITICAL,
                    null,
                    null,
                    "quorum lost: "
                            + q.reachable()
                            + " of "
                            + q.vantagePoints()
                            + " vantage points reachable, "
                            + q.size()
                            + " needed; verdicts and DNS frozen (missing: "
                            + String.join(", ", q.missing())
                            + ")",
                    Map.of("reachable", q.reachable(), "size", q.size(), "missing", q.missing()));
        }
    }

    void warmupDone(long round) {
        journal.append(
                EventType.WARMUP_DONE,
                Severity.INFO,
                null,
                null,
                "warm-up done after " + round + " rounds; decisions now take effect",
                Map.of("round", round));
    }

    void regionChanged(RegionStatus before, RegionStatus after, Map<String, Verdict> verdicts) {
        Severity sev =
                after.state() == RegionState.DEAD
                        ? Severity.CRITICAL
                        : after.state().serving() ? Severity.INFO : Severity.WARNING;
        journal.append(
                EventType.REGION_STATE_CHANGED,
                sev,
                after.region(),
                null,
                "region "
                        + after.region()
                        + " "
                        + before.state()
                        + " -> "
                        + after.state()
                        + ": "
                        + after.reason(),
                evidence(after, verdicts));
    }

    /** A region's state with the verdicts of its targets: the evidence behind a decision. */
    Map<String, Object> evidence(RegionStatus s, Map<String, Verdict> verdicts) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("state", s.state().name());
        d.put("reason", s.reason());
        Map<String, Object> families = new LinkedHashMap<>();
        s.families()
                .forEach(
                        (f, fs) -> families.put(f.label(), fs.state().name() + ": " + fs.reason()));
        d.put("families", families);
        Map<String, Object> targets = new LinkedHashMap<>();
        topology.region(s.region())
                .ifPresent(
                        r ->
                                r.targets()
                                        .forEach(
                                                t -> {
                                                    Verdict v = verdicts.get(t.id());
                                                    if (v != null) {
                                                        targets.put(t.id(), verdictData(v));
                                                    }
                                                }));
        d.put("verdicts", targets);
        return d;
    }

    /** Records guards that started or stopped firing (not every round they keep firing). */
    void guards(List<GuardFiring> before, List<GuardFiring> after) {
        Set<String> was =
                before.stream()
                        .map(EventRecorder::guardKey)
                        .collect(Collectors.toCollection(TreeSet::new));
        Set<String> now =
                after.stream()
                        .map(EventRecorder::guardKey)
                        .collect(Collectors.toCollection(TreeSet::new));
        for (GuardFiring g : after) {
            if (!was.contains(guardKey(g))) {
                journal.append(
                        EventType.GUARD_FIRED,
                        "blast-radius".equals(g.guard()) || "never-empty".equals(g.guard())
                                ? Severity.CRITICAL
                                : Severity.WARNING,
                        g.region().orElse(null),
                        null,
                        g.guard() + ": " + g.message(),
                        guardData(g));
            }
        }
        for (GuardFiring g : before) {
            if (!now.contains(guardKey(g))) {
                journal.append(
                        EventType.GUARD_CLEARED,
                        Severity.INFO,
                        g.region().orElse(null),
                        null,
                        g.guard()
                                + " no longer holds back "
                                + g.region().or(g::record).orElse("anything"),
                        guardData(g));
            }
        }
    }

    private static String guardKey(GuardFiring g) {
        return g.guard() + "|" + g.region().orElse("") + "|" + g.record().orElse("");
    }

    private static Map<String, Object> guardData(GuardFiring g) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("guard", g.guard());
        g.region().ifPresent(r -> d.put("region", r));
        g.record().ifPresent(r -> d.put("record", r));
        return d;
    }

    void allRegionsDown(boolean down) {
        if (down) {
            journal.append(
                    EventType.ALL_REGIONS_DOWN,
                    Severity.CRITICAL,
                    null,
                    null,
                    "all regions down: no region qualifies for DNS; every configured address stays"
                            + " published (fail open). A total outage seen from everywhere is more"
                            + " likely the monitor's problem: check the vantage points' networks.",
                    Map.of());
        } else {
            journal.append(
                    EventType.ALL_REGIONS_DOWN_RESOLVED,
                    Severity.INFO,
                    null,
                    null,
                    "at least one region qualifies for DNS again",
                    Map.of());
        }
    }

    void desiredChanged(DesiredState before, DesiredState after, Map<String, Object> evidence) {
        Map<String, Object> d = new LinkedHashMap<>();
        Map<String, Object> records = new LinkedHashMap<>();
        after.records()
                .forEach(
                        (k, v) -> {
                            var old = before == null ? null : before.records().get(k);
                            if (!Objects.equals(old, v)) {
                                records.put(
                                        k.toString(),
                                        Map.of(
                                                "before",
                                                        old == null
                                                                ? List.of()
                                                                : List.copyOf(old.values()),
                                                "after", List.copyOf(v.values()),
                                                "ttl", v.ttl()));
                            }
                        });
        d.put("records", records);
        Map<String, Object> relays = new LinkedHashMap<>();
        after.relays()
                .forEach(
                        (region, r) -> {
                            RelayDecision old = before == null ? null : before.relays().get(region);
                            if (!Objects.equals(old, r)) {
                                relays.put(region, r.target().orElse("off") + ": " + r.reason());
                            }
                        });
        if (!relays.isEmpty()) {
            d.put("relays", relays);
        }
        d.put("evidence", evidence);
        journal.append(
                EventType.DESIRED_CHANGED,
                Severity.INFO,
                null,
                null,
                "desired state changed: "
                        + records.keySet()
                        + (relays.isEmpty() ? "" : " relays " + relays.keySet()),
                d);
    }
}
