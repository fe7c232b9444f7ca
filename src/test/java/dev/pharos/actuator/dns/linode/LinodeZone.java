package dev.pharos.actuator.dns.linode;

import static dev.pharos.decision.RegionState.HEALTHY;

import dev.pharos.actuator.ActuatorMetrics;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.actuator.linode.FakeSleeper;
import dev.pharos.actuator.linode.LinodeClient;
import dev.pharos.actuator.linode.RateBudget;
import dev.pharos.actuator.linode.emulator.LinodeEmulator;
import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.Family;
import dev.pharos.config.Topology;
import dev.pharos.decision.Decider;
import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.FamilyStatus;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.decision.RegionState;
import dev.pharos.decision.RegionStatus;
import dev.pharos.journal.Journal;
import dev.pharos.reconcile.DnsStep;
import dev.pharos.reconcile.LoopScheduler;
import dev.pharos.reconcile.LoopSettings;
import dev.pharos.reconcile.ReconcileLoop;
import dev.pharos.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The scene of the Linode DNS tests: three regions, a round-robin name, an alias and the apex, in a
 * Linode Domain of the emulator that also holds rows Pharos does not own; the decision stage (with
 * its memory, so hold-down counts) and a reconciler on a fake clock.
 */
final class LinodeZone {
    static final String ZONE = "example.test";
    static final Topology TOPOLOGY =
            ConfigFixtures.topology(
                    """
                    pharos:
                      node: {name: vp1}
                      regions:
                        r1: {load-balancer: {ipv4: 127.0.1.1}, fallback: [r2, r3]}
                        r2: {load-balancer: {ipv4: 127.0.2.1}, fallback: [r3, r1]}
                        r3: {load-balancer: {ipv4: 127.0.3.1}, fallback: [r1, r2]}
                      records:
                        - {name: cdn.example.test, type: round-robin}
                        - {name: r1.example.test, type: alias, region: r1}
                        - {name: example.test, type: round-robin, regions: [r1, r2]}
                      policy: {max-removals: 3, hold-down: 60s}
                      dns: {provider: none, zone: example.test}
                    """);

    final LinodeEmulator emulator;
    final long domain;
    final FakeSleeper sleeper = new FakeSleeper(MutableClock.atEpoch());
    final MutableClock clock = sleeper.clock;
    final List<Duration> slept = sleeper.slept;

    /** Rows Pharos must never touch, by id. */
    final Map<Long, LinodeEmulator.Row> foreign = new TreeMap<>();

    private DecisionMemory memory = DecisionMemory.empty();

    LinodeZone(LinodeEmulator emulator) {
        this(emulator, 0);
    }

    /**
     * With {@code olderRows} rows of other names made before Pharos's own (so they have lower ids
     * and come first in Linode's lists).
     */
    LinodeZone(LinodeEmulator emulator, int olderRows) {
        this.emulator = emulator;
        this.domain = emulator.addDomain(ZONE);
        for (int i = 0; i < olderRows; i++) {
            foreign(emulator.addRecord(domain, "A", "old" + i, "192.0.2." + (i % 250 + 1), 300));
        }
        // what Pharos owns, published as it wants it (the configured TTL 60 is 30 on Linode)
        for (String a : List.of("127.0.1.1", "127.0.2.1", "127.0.3.1")) {
            emulator.addRecord(domain, "A", "cdn", a, 30);
        }
        emulator.addRecord(domain, "A", "r1", "127.0.1.1", 30);
        emulator.addRecord(domain, "A", ZONE, "127.0.1.1", 30);
        emulator.addRecord(domain, "A", ZONE, "127.0.2.1", 30);
        // what it does not own: the same names with other types, other names
        foreign(emulator.addRecord(domain, "TXT", "cdn", "not pharos's", 300));
        foreign(emulator.addRecord(domain, "AAAA", "cdn", "::1", 300));
        foreign(emulator.addRecord(domain, "A", "other", "192.0.2.10", 300));
        foreign(emulator.addRecord(domain, "A", "cdn2", "127.0.1.1", 300));
        foreign(emulator.addRecord(domain, "A", "r1.staging", "127.0.1.1", 30));
        foreign(emulator.addRecord(domain, "CNAME", "www", "cdn.example.test", 300));
        foreign(emulator.addRecord(domain, "MX", ZONE, "mail.example.test", 300));
    }

    private void foreign(long id) {
        emulator.rows(domain).stream().filter(r -> r.id() == id).forEach(r -> foreign.put(id, r));
    }

    LinodeClient client(String token, int pageSize) {
        return LinodeClient.create(
                emulator.baseUrl(),
                token,
                RateBudget.perMinute(100, clock),
                sleeper,
                LinodeClient.Settings.defaults()
                        .withPageSize(pageSize)
                        .withTimeout(Duration.ofSeconds(1)));
    }

    LinodeDnsProvider provider(String token, int pageSize) {
        return new LinodeDnsProvider(
                client(token, pageSize),
                ZONE,
                Optional.empty(),
                clock,
                sleeper,
                Duration.ofSeconds(2));
    }

    ReconcileLoop<DnsStep> reconciler(
            DnsProvider p, Journal journal, ScheduledExecutorService executor) {
        return new ReconcileLoop<>(
                new DnsStep(
                        p,
                        ManagedRecords.owned(TOPOLOGY),
                        Duration.ofSeconds(30),
                        journal,
                        new ActuatorMetrics(new SimpleMeterRegistry()),
                        clock,
                        // verified inside the round: the journal reads in order
                        Runnable::run),
                new LoopSettings(ActuatorMode.APPLY, Optional.of(Duration.ofSeconds(30))),
                journal,
                clock,
                LoopScheduler.on(executor));
    }

    /** The desired state for these region states (r1, r2, r3), remembering earlier decisions. */
    DesiredState decide(RegionState... states) {
        Map<String, RegionStatus> s = new LinkedHashMap<>();
        for (int i = 0; i < states.length; i++) {
            Map<Family, FamilyStatus> f = new EnumMap<>(Family.class);
            f.put(Family.IPV4, new FamilyStatus(Family.IPV4, states[i], states[i].name()));
            String name = "r" + (i + 1);
            s.put(
                    name,
                    new RegionStatus(name, states[i], f, 0, 0, states[i].name(), clock.instant()));
        }
        Decider.Result r = Decider.decide(TOPOLOGY, s, memory, clock.instant());
        memory = r.memory();
        return r.desired();
    }

    DesiredState allHealthy() {
        return decide(HEALTHY, HEALTHY, HEALTHY);
    }

    /** The addresses of an owned name's A rows, sorted (duplicates kept). */
    List<String> a(String row) {
        List<String> out = new ArrayList<>();
        for (LinodeEmulator.Row r : emulator.rows(domain)) {
            if (r.type().equals("A") && r.name().equals(row) && !foreign.containsKey(r.id())) {
                out.add(r.target());
            }
        }
        out.sort(null);
        return out;
    }

    /** The first A row named {@code name} (relative). */
    LinodeEmulator.Row row(String name) {
        return emulator.rows(domain).stream()
                .filter(x -> x.name().equals(name) && x.type().equals("A"))
                .findFirst()
                .orElseThrow();
    }

    /** The TTLs of an owned name's A rows. */
    List<Integer> ttls(String row) {
        return emulator.rows(domain).stream()
                .filter(r -> r.type().equals("A") && r.name().equals(row))
                .filter(r -> !foreign.containsKey(r.id()))
                .map(LinodeEmulator.Row::ttl)
                .toList();
    }

    /** The rows Pharos does not own, as they are now. */
    Map<Long, LinodeEmulator.Row> foreignNow() {
        Map<Long, LinodeEmulator.Row> out = new TreeMap<>();
        emulator.rows(domain).stream()
                .filter(r -> foreign.containsKey(r.id()))
                .forEach(r -> out.put(r.id(), r));
        return out;
    }

    List<LinodeEmulator.Call> writes() {
        return emulator.calls().stream().filter(LinodeEmulator.Call::write).toList();
    }
}
