package dev.pharos.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Family;
import dev.pharos.config.ManagedRecord;
import dev.pharos.config.PolicySettings;
import dev.pharos.config.RecordKind;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Long random sequences of region states over time, the decision memory carried from each step to
 * the next as the pipeline carries it, for IPv4-only and dual-stack regions: the invariants of the
 * desired state hold at every step. {@link DecisionPropertiesTest} covers every combination of
 * states from an empty memory; this covers what memory adds (hold-down, the blast-radius window,
 * confirmations, outages in any order). A failure names the seed and step, and the history that led
 * there.
 */
class DecisionSequencesTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final int STEPS = 3000;
    private static final Duration[] STEP_TIMES = {
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(20),
        Duration.ofSeconds(61),
        Duration.ofMinutes(3),
        Duration.ofMinutes(11)
    };

    @ParameterizedTest(name = "{0} regions, dual-stack {1}, {2}, seed {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "3|false||1",
                "3|false||2",
                "5|false||3",
                "3|true||4",
                "3|true||5",
                "4|true|min-regions=2|6",
                "3|false|max-removals=1,hold-down=0s|7",
                "5|true|max-removals=1,removal-window=3m|8",
                "2|true||9"
            })
    void longRandomSequencesKeepTheInvariantsAtEveryStep(
            int n, boolean dualStack, String policy, long seed) {
        var fixture = dualStack ? Fixtures.dualStack(n) : Fixtures.regions(n);
        if (policy != null) {
            for (String kv : policy.split(",")) {
                String[] p = kv.split("=");
                fixture.policy(p[0], p[1]);
            }
        }
        Topology t = fixture.topology();
        new Run(t, new Random(seed)).run();
    }

    /**
     * What drives a region's family states: an operator drain, its backends, its load balancers.
     */
    private static final class Driver {
        boolean drained;
        RegionState backends = RegionState.HEALTHY;
        final Map<Family, Boolean> lbUp = new EnumMap<>(Family.class);
        final Map<Family, Boolean> lbKnown = new EnumMap<>(Family.class);

        RegionState family(Family f) {
            if (drained) {
                return RegionState.DRAINED;
            }
            if (!lbKnown.get(f)) {
                return RegionState.UNKNOWN;
            }
            return lbUp.get(f) ? backends : RegionState.DEAD;
        }
    }

    private static final class Run {
        private final Topology t;
        private final Random random;
        private final PolicySettings policy;
        private final Map<String, Driver> drivers = new LinkedHashMap<>();
        private final Map<String, Instant> servingSince = new HashMap<>();
        private final List<String> history = new ArrayList<>();
        private Instant now = START;
        private DecisionMemory memory = DecisionMemory.empty();

        Run(Topology t, Random random) {
            this.t = t;
            this.random = random;
            this.policy = t.policy();
            for (Region r : t.regions().values()) {
                Driver d = new Driver();
                for (Family f : r.families()) {
                    d.lbUp.put(f, true);
                    d.lbKnown.put(f, true);
                }
                drivers.put(r.name(), d);
            }
        }

        void run() {
            for (int step = 0; step < STEPS; step++) {
                now = now.plus(STEP_TIMES[random.nextInt(STEP_TIMES.length)]);
                change();
                Map<String, RegionStatus> statuses = statuses();
                track(statuses);
                maybeConfirm();
                Decider.Result r = Decider.decide(t, statuses, memory, now);
                history.add(
                        "step "
                                + step
                                + " at +"
                                + Duration.between(START, now).toSeconds()
                                + "s: "
                                + describe(statuses)
                                + " -> "
                                + published(r.desired()));
                if (history.size() > 12) {
                    history.remove(0);
                }
                String at = "after:\n  " + String.join("\n  ", history) + "\n";
                new Check(t, policy, statuses, r, servingSince, now, at).all();
                Decider.Result again = Decider.decide(t, statuses, r.memory(), now);
                assertThat(
                                again.desired().sameEffect(r.desired())
                                        && again.memory().equals(r.memory()))
                        .as(at + "deciding again with the same input changes nothing")
                        .isTrue();
                memory = r.memory();
            }
        }

        /** Each region changes one of its inputs now and then; now and then all fail or recover. */
        private void change() {
            int roll = random.nextInt(100);
            if (roll < 3) {
                drivers.values().forEach(d -> d.lbUp.replaceAll((f, up) -> false));
                return;
            }
            if (roll < 6) {
                drivers.values()
                        .forEach(
                                d -> {
                                    d.lbUp.replaceAll((f, up) -> true);
                                    d.lbKnown.replaceAll((f, k) -> true);
                                    d.backends = RegionState.HEALTHY;
                                });
                return;
            }
            for (Map.Entry<String, Driver> e : drivers.entrySet()) {
                Driver d = e.getValue();
                if (random.nextInt(100) >= 20) {
                    continue;
                }
                int what = random.nextInt(100);
                List<Family> families = t.regions().get(e.getKey()).families();
                Family f = families.get(random.nextInt(families.size()));
                if (what < 5) {
                    d.drained = !d.drained;
                } else if (what < 45) {
                    d.backends =
                            pick(
                                    RegionState.HEALTHY, 50,
                                    RegionState.DEGRADED, 10,
                                    RegionState.RELAYING, 15,
                                    RegionState.DEAD, 15,
                                    RegionState.UNKNOWN, 10);
                } else if (what < 95) {
                    d.lbUp.put(f, random.nextInt(100) < 55);
                } else {
                    d.lbKnown.put(f, !d.lbKnown.get(f));
                }
            }
        }

        private RegionState pick(Object... weighted) {
            int total = 0;
            for (int i = 1; i < weighted.length; i += 2) {
                total += (Integer) weighted[i];
            }
            int x = random.nextInt(total);
            for (int i = 0; i < weighted.length; i += 2) {
                x -= (Integer) weighted[i + 1];
                if (x < 0) {
                    return (RegionState) weighted[i];
                }
            }
            throw new AssertionError();
        }

        private Map<String, RegionStatus> statuses() {
            Map<String, RegionStatus> out = new LinkedHashMap<>();
            drivers.forEach(
                    (name, d) -> {
                        Map<Family, RegionState> states = new EnumMap<>(Family.class);
                        for (Family f : t.regions().get(name).families()) {
                            states.put(f, d.family(f));
                        }
                        out.put(name, Fixtures.status(name, states, now));
                    });
            return out;
        }

        /** Serving without interruption since when, as hold-down counts it (UNKNOWN keeps it). */
        private void track(Map<String, RegionStatus> statuses) {
            statuses.forEach(
                    (name, s) ->
                            s.families()
                                    .forEach(
                                            (f, fs) -> {
                                                String key = DecisionMemory.key(name, f);
                                                if (fs.state().serving()) {
                                                    servingSince.putIfAbsent(key, now);
                                                } else if (fs.state() != RegionState.UNKNOWN) {
                                                    servingSince.remove(key);
                                                }
                                            }));
        }

        /** Now and then an operator confirms the removals the blast-radius guard holds back. */
        private void maybeConfirm() {
            if (random.nextInt(100) >= 10) {
                return;
            }
            Decider.Result probe = Decider.decide(t, statuses(), memory, now);
            Map<String, Instant> c = new TreeMap<>(memory.confirmations());
            probe.desired().guards().stream()
                    .filter(g -> g.guard() == Guard.BLAST_RADIUS)
                    .forEach(g -> c.put(g.region().orElseThrow(), now));
            memory = new DecisionMemory(memory.membership(), memory.removals(), c);
        }

        private static String describe(Map<String, RegionStatus> statuses) {
            List<String> out = new ArrayList<>();
            statuses.forEach(
                    (name, s) -> {
                        List<String> fs = new ArrayList<>();
                        s.families().forEach((f, x) -> fs.add(f.label() + "=" + x.state()));
                        out.add(name + String.join("/", fs));
                    });
            return String.join(" ", out);
        }

        private static String published(DesiredState d) {
            List<String> out = new ArrayList<>();
            d.records().values().stream()
                    .filter(r -> r.key().name().startsWith("cdn."))
                    .forEach(r -> out.add(r.key().type() + " " + r.values()));
            d.guards().forEach(g -> out.add(g.guard().label() + ":" + g.region().orElse("")));
            if (d.allRegionsDown()) {
                out.add("ALL-DOWN");
            }
            return String.join(" ", out);
        }
    }

    /** The invariants of one step's decision. */
    private record Check(
            Topology t,
            PolicySettings policy,
            Map<String, RegionStatus> statuses,
            Decider.Result result,
            Map<String, Instant> servingSince,
            Instant now,
            String at) {

        void all() {
            blastRadiusCountsOnlyRegionsStillOut();
            aTotalOutageReadsAsOneWhateverTheOrder();
            recordsAreNeverEmptyAndOnlyConfigured();
            aPublishedRegionServesOrAGuardSaysWhy();
            hiddenRegionsAreDeadOrHeldDownVisibly();
            relaysForwardOnlyForRegionsOutOfDns();
        }

        private DesiredState d() {
            return result.desired();
        }

        private boolean in(String region, Family f) {
            Membership m = result.memory().membership().get(DecisionMemory.key(region, f));
            return m == null || m.in();
        }

        private RegionState state(String region, Family f) {
            return statuses.get(region)
                    .family(f)
                    .map(FamilyStatus::state)
                    .orElse(RegionState.UNKNOWN);
        }

        private Set<String> guarded(Guard guard) {
            Set<String> out = new HashSet<>();
            d().guards().stream()
                    .filter(g -> g.guard() == guard)
                    .forEach(g -> g.region().ifPresent(out::add));
            return out;
        }

        private boolean known(RegionState s) {
            return s != RegionState.UNKNOWN && !s.serving();
        }

        /** Every region with an address of the family is known not to serve it. */
        private boolean downEverywhere(Family f) {
            List<Region> with =
                    t.regions().values().stream().filter(r -> r.families().contains(f)).toList();
            return !with.isEmpty() && with.stream().allMatch(r -> known(state(r.name(), f)));
        }

        /**
         * The blast radius holds a removal back only while max-removals other regions that left
         * within the window are still out of DNS: a region that came back spends no budget.
         */
        void blastRadiusCountsOnlyRegionsStillOut() {
            Instant windowStart = now.minus(policy.removalWindow());
            for (String held : guarded(Guard.BLAST_RADIUS)) {
                Set<String> out = new HashSet<>();
                for (DecisionMemory.Removal r : result.memory().removals()) {
                    boolean stillOut =
                            t.regions().get(r.region()).families().stream()
                                    .anyMatch(f -> !in(r.region(), f));
                    if (!r.region().equals(held) && r.at().isAfter(windowStart) && stillOut) {
                        out.add(r.region());
                    }
                }
                assertThat(out.size())
                        .as(at + "blast radius holds " + held + " back with only " + out + " out")
                        .isGreaterThanOrEqualTo(policy.maxRemovals());
                assertThat(statuses.get(held).state())
                        .as(at + "a drain is never held back")
                        .isNotEqualTo(RegionState.DRAINED);
            }
        }

        /** Every region dead: every configured address, whatever the order of the deaths. */
        void aTotalOutageReadsAsOneWhateverTheOrder() {
            boolean anyDown = false;
            for (Family f : Family.values()) {
                if (!downEverywhere(f)) {
                    continue;
                }
                anyDown = true;
                for (ManagedRecord rec : t.records()) {
                    RecordSet set = d().records().get(new RecordKey(rec.name(), f.recordType()));
                    if (set == null) {
                        continue;
                    }
                    assertThat(set.values())
                            .as(at + f.label() + " down everywhere: " + rec.name() + " fails open")
                            .containsExactlyInAnyOrderElementsOf(
                                    ManagedRecords.configured(t, rec, f));
                }
            }
            assertThat(d().allRegionsDown())
                    .as(at + "all-regions-down while a family is down everywhere")
                    .isEqualTo(anyDown);
        }

        void recordsAreNeverEmptyAndOnlyConfigured() {
            for (ManagedRecord rec : t.records()) {
                for (Family f : Family.values()) {
                    RecordSet set = d().records().get(new RecordKey(rec.name(), f.recordType()));
                    if (set == null) {
                        continue;
                    }
                    List<String> allowed = new ArrayList<>();
                    List<String> regions =
                            rec.kind() == RecordKind.ROUND_ROBIN
                                    ? rec.regions()
                                    : ManagedRecords.aliasChain(t, rec);
                    regions.forEach(r -> ManagedRecords.address(t, r, f).ifPresent(allowed::add));
                    assertThat(set.values()).as(at + set.key() + " never empty").isNotEmpty();
                    assertThat(allowed)
                            .as(at + set.key() + " configured")
                            .containsAll(set.values());
                }
            }
        }

        /**
         * A round-robin address of a region that does not serve its family is published only when a
         * guard says so: never-empty for the record, blast radius or min-regions for the region, or
         * the region is UNKNOWN and keeps its membership.
         */
        void aPublishedRegionServesOrAGuardSaysWhy() {
            Set<String> neverEmpty = new HashSet<>();
            d().guards().stream()
                    .filter(g -> g.guard() == Guard.NEVER_EMPTY)
                    .forEach(g -> g.record().ifPresent(neverEmpty::add));
            Set<String> blast = guarded(Guard.BLAST_RADIUS);
            for (ManagedRecord rec : t.records()) {
                if (rec.kind() != RecordKind.ROUND_ROBIN) {
                    continue;
                }
                for (Family f : Family.values()) {
                    RecordKey key = new RecordKey(rec.name(), f.recordType());
                    RecordSet set = d().records().get(key);
                    if (set == null || neverEmpty.contains(key.toString())) {
                        continue;
                    }
                    for (String region : rec.regions()) {
                        Optional<String> a = ManagedRecords.address(t, region, f);
                        if (a.isEmpty() || !set.values().contains(a.get())) {
                            continue;
                        }
                        RegionState s = state(region, f);
                        boolean minRegions =
                                d().guards().stream()
                                        .anyMatch(
                                                g ->
                                                        g.guard() == Guard.MIN_REGIONS
                                                                && g.region()
                                                                        .equals(Optional.of(region))
                                                                && g.record()
                                                                        .equals(
                                                                                Optional.of(
                                                                                        key
                                                                                                .toString())));
                        boolean ok =
                                s.serving()
                                        || minRegions
                                        || (s == RegionState.UNKNOWN && in(region, f))
                                        || blast.contains(region);
                        assertThat(ok)
                                .as(at + region + " " + f.label() + " published while " + s)
                                .isTrue();
                    }
                }
            }
        }

        /**
         * Out of DNS: a region that does not serve, or one held down, which a hold-down guard shows
         * with its reason; and one that has served for the whole hold-down is back in. In DNS while
         * not serving: only UNKNOWN, or held by the blast radius.
         */
        void hiddenRegionsAreDeadOrHeldDownVisibly() {
            Set<String> holdDown = guarded(Guard.HOLD_DOWN);
            Set<String> blast = guarded(Guard.BLAST_RADIUS);
            for (Region r : t.regions().values()) {
                for (Family f : r.families()) {
                    RegionState s = state(r.name(), f);
                    String key = DecisionMemory.key(r.name(), f);
                    if (s.serving() && !in(r.name(), f)) {
                        assertThat(holdDown)
                                .as(at + key + " serves but is out without a hold-down shown")
                                .contains(r.name());
                        Instant since = servingSince.get(key);
                        assertThat(Duration.between(since, now))
                                .as(at + key + " held down longer than hold-down")
                                .isLessThan(policy.holdDown());
                    }
                    if (known(s) && in(r.name(), f)) {
                        assertThat(blast)
                                .as(at + key + " stays in DNS while " + s + " without blast radius")
                                .contains(r.name());
                    }
                }
            }
        }

        /**
         * A relay forwards only while its region cannot serve its own visitors: RELAYING, or
         * serving again but out of DNS for every family (held down); a region in DNS and serving
         * for one family keeps its traffic. Targets are serving regions in DNS; no relay chains.
         */
        void relaysForwardOnlyForRegionsOutOfDns() {
            Map<String, String> edges = new HashMap<>();
            for (RelayDecision relay : d().relays().values()) {
                if (relay.target().isEmpty()) {
                    continue;
                }
                String region = relay.region();
                String target = relay.target().get();
                RegionState s = statuses.get(region).state();
                boolean allOut =
                        t.regions().get(region).families().stream().noneMatch(f -> in(region, f));
                assertThat(s == RegionState.RELAYING || (s.serving() && allOut))
                        .as(
                                at
                                        + "relay of "
                                        + region
                                        + " forwards while "
                                        + s
                                        + ", all out "
                                        + allOut)
                        .isTrue();
                assertThat(statuses.get(target).state().serving() && in(target, Family.IPV4))
                        .as(at + "relay " + region + " -> " + target)
                        .isTrue();
                edges.put(region, target);
            }
            edges.forEach(
                    (from, to) ->
                            assertThat(edges)
                                    .as(at + "relay chain " + from + " -> " + to)
                                    .doesNotContainKey(to));
        }
    }
}
