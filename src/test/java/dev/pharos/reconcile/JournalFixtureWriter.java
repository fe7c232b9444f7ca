package dev.pharos.reconcile;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMetrics;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.InMemoryDnsProvider;
import dev.pharos.actuator.lb.RelayActuator;
import dev.pharos.actuator.lb.RelayMetrics;
import dev.pharos.actuator.lb.RelayState;
import dev.pharos.alert.AlertVotes;
import dev.pharos.alert.FixtureAlerts;
import dev.pharos.alert.InboundAlerts;
import dev.pharos.alert.Reprobes;
import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.PharosConfig;
import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import dev.pharos.config.TopologyBuilder;
import dev.pharos.decision.DecisionMetrics;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.journal.Journal;
import dev.pharos.journal.StateStore;
import dev.pharos.observation.OwnObservations;
import dev.pharos.observation.OwnVantage;
import dev.pharos.observation.PeerObservations;
import dev.pharos.observation.VantageSnapshot;
import dev.pharos.observation.VoteBook;
import dev.pharos.probe.FailureReason;
import dev.pharos.probe.PhaseTimings;
import dev.pharos.probe.ProbeMetrics;
import dev.pharos.probe.ProbeResult;
import dev.pharos.quorum.QuorumMetrics;
import dev.pharos.testing.Json;
import dev.pharos.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-off: drives the pipeline, the reconcilers, the drains, the notifier and the inbound alerts of
 * this version through a scripted outage and copies the journal they wrote to {@code
 * -Dpharos.fixture.out}. Every line is written by production code; nothing here builds an event.
 */
@EnabledIfSystemProperty(named = "pharos.fixture.out", matches = ".+")
class JournalFixtureWriter {
    static final String YAML =
            """
            pharos:
              node: {name: vp1, actuate: true}
              peers:
                - {name: vp2, url: "http://127.0.0.2:8080"}
              api: {peer-token: fixture-peer-token, alert-token: fixture-alert-token}
              quorum:
                size: 2
                warmup-rounds: 2
                exchange-interval: 1h
                stale-after: 2h
                canaries:
                  - {name: anycast, address: 127.0.9.9, port: 53, probe: {type: tcp}}
              probe: {fall: 2, rise: 2}
              regions:
                europe:
                  load-balancer: {ipv4: 127.0.1.1}
                  backends:
                    - {name: web1, address: 127.0.1.11}
                  relay: {address: 127.0.1.50}
                  fallback: [apac]
                apac:
                  load-balancer: {ipv4: 127.0.2.1, ipv6: "::1"}
                  fallback: [europe]
                americas:
                  load-balancer: {ipv4: 127.0.3.1}
                  fallback: [europe]
                africa:
                  load-balancer: {ipv4: 127.0.4.1}
                  fallback: [europe]
              records:
                - {name: cdn.example.test, type: round-robin, degraded-ttl: 30}
                - {name: europe.example.test, type: alias, region: europe}
              dns: {provider: none, zone: example.test}
              policy: {max-removals: 1, removal-window: 10m, hold-down: 60s, min-regions: 2}
              alerts:
                inbound: {count-as-vote: true}
            """;

    @TempDir Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-05-04T08:00:00Z"));
    Topology topology;
    Journal journal;
    Pipeline pipeline;
    OwnVantage own;
    PeerObservations peers;
    long peerRound;
    final String peerInstance = "7f1c2d3e-0000-4000-8000-000000000002";

    /** Never runs what it is given: the script calls runOnce itself, at chosen moments. */
    static final class Held extends ScheduledThreadPoolExecutor {
        Held() {
            super(1);
        }

        @Override
        public void execute(Runnable command) {}
    }

    /** A provider whose next calls fail as scripted. */
    static final class Scripted implements dev.pharos.actuator.dns.DnsProvider {
        final InMemoryDnsProvider memory;
        final List<ActuatorException> applyFailures = new ArrayList<>();
        final List<ActuatorException> readFailures = new ArrayList<>();
        ActuatorException verifyFailure;
        boolean crash;
        boolean loseAnswer;

        Scripted(String name) {
            memory = new InMemoryDnsProvider(name);
        }

        @Override
        public String name() {
            return memory.name();
        }

        @Override
        public synchronized Map<dev.pharos.domain.RecordKey, dev.pharos.domain.RecordSet> read(
                java.util.Set<dev.pharos.domain.RecordKey> owned) throws ActuatorException {
            if (!readFailures.isEmpty()) {
                throw readFailures.remove(0);
            }
            return memory.read(owned);
        }

        @Override
        public synchronized void apply(DnsPlan plan) throws ActuatorException {
            if (crash) {
                crash = false;
                throw new IllegalStateException("the process died mid-apply");
            }
            if (!applyFailures.isEmpty()) {
                throw applyFailures.remove(0);
            }
            memory.apply(plan);
            if (loseAnswer) {
                loseAnswer = false;
                throw ActuatorException.retryable("connection reset before the answer", null);
            }
        }

        @Override
        public Duration verify(DnsPlan plan, Duration timeout) throws ActuatorException {
            if (verifyFailure != null) {
                ActuatorException e = verifyFailure;
                verifyFailure = null;
                throw e;
            }
            return Duration.ofMillis(412);
        }
    }

    /** An in-memory relay actuator with scripted failures. */
    static final class Relays implements RelayActuator {
        final Map<String, RelayState> state = new HashMap<>();
        final List<ActuatorException> failures = new ArrayList<>();

        @Override
        public String name() {
            return "haproxy";
        }

        @Override
        public RelayState read(Region region) throws ActuatorException {
            if (!failures.isEmpty()) {
                throw failures.remove(0);
            }
            return state.getOrDefault(
                    region.name(),
                    new RelayState(region.name(), false, Optional.empty(), Map.of()));
        }

        @Override
        public void setForwardTarget(Region region, Optional<String> endpoint) {
            RelayState s =
                    state.getOrDefault(
                            region.name(),
                            new RelayState(region.name(), false, Optional.empty(), Map.of()));
            state.put(
                    region.name(),
                    new RelayState(region.name(), s.inRotation(), endpoint, Map.of()));
        }

        @Override
        public void setInRotation(Region region, boolean in) {
            RelayState s =
                    state.getOrDefault(
                            region.name(),
                            new RelayState(region.name(), false, Optional.empty(), Map.of()));
            state.put(region.name(), new RelayState(region.name(), in, s.forwardTo(), Map.of()));
        }
    }

    private void onPipeline(Runnable r) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pipeline.submit(
                () -> {
                    try {
                        r.run();
                        f.complete(null);
                    } catch (Throwable t) {
                        f.completeExceptionally(t);
                    }
                });
        f.join();
    }

    private void tick() {
        onPipeline(() -> pipeline.step(true));
    }

    private void probe(String targetId, boolean ok) {
        Target t = topology.targetsById().get(targetId);
        Instant now = clock.instant();
        ProbeResult r =
                ok
                        ? ProbeResult.ok(
                                targetId,
                                now,
                                "status 200",
                                PhaseTimings.totalOnly(1200),
                                Optional.of(200),
                                Optional.empty())
                        : ProbeResult.failed(
                                targetId,
                                now,
                                FailureReason.REFUSED,
                                "connection refused",
                                PhaseTimings.totalOnly(300),
                                Optional.empty(),
                                Optional.empty());
        pipeline.onProbeResult(t, r, 0);
    }

    /** Probes a target twice (fall = rise = 2) and has the peer agree. */
    private void turn(String targetId, boolean ok) {
        probe(targetId, ok);
        clock.advance(Duration.ofMillis(200));
        probe(targetId, ok);
        peerAgrees();
        tick();
    }

    /** The peer votes as this vantage point does (it sees what we see). */
    private void peerAgrees() {
        VantageSnapshot mine = own.snapshot();
        peers.accept(
                new VantageSnapshot(
                        "vp2",
                        peerInstance,
                        Instant.parse("2026-05-04T07:00:00Z"),
                        ++peerRound,
                        clock.instant(),
                        false,
                        mine.targets()),
                PeerObservations.Via.PUSH);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Actuators a, String field) throws Exception {
        Field f = Actuators.class.getDeclaredField(field);
        f.setAccessible(true);
        return (List<T>) f.get(a);
    }

    @Test
    void writeTheJournal() throws Exception {
        PharosConfig config = ConfigFixtures.mapping(YAML, Map.of());
        topology = TopologyBuilder.build(config);
        Path data = dir.resolve("data");
        journal = new Journal(data, "vp1", clock, Json.MAPPER, 20_000);
        AutoCloseable notifier = FixtureAlerts.refusingNotifier(journal, clock);
        StateStore store = new StateStore(data, Json.MAPPER);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OwnObservations observations = new OwnObservations(topology);
        VoteBook votes = new VoteBook(topology, clock);
        own = new OwnVantage(topology, votes, observations, clock);
        peers = new PeerObservations(topology, clock);
        Overrides overrides = new Overrides(topology, store, journal, clock);
        Actuators actuators = new Actuators();
        Scripted dnsProvider = new Scripted("in-memory");
        DnsReconciler dns =
                new DnsReconciler(
                        dnsProvider,
                        ManagedRecords.owned(topology),
                        true,
                        false,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        journal,
                        new ActuatorMetrics(registry),
                        clock,
                        new Held());
        Relays relayActuator = new Relays();
        RelayReconciler relays =
                new RelayReconciler(
                        topology,
                        relayActuator,
                        true,
                        journal,
                        new RelayMetrics(topology, registry),
                        new Held());
        list(actuators, "dns").add(dns);
        list(actuators, "relays").add(relays);
        AlertVotes alertVotes = FixtureAlerts.votes(clock);
        pipeline =
                new Pipeline(
                        topology,
                        clock,
                        observations,
                        own,
                        peers,
                        votes,
                        new ProbeMetrics(topology, registry),
                        new QuorumMetrics(topology, registry),
                        new DecisionMetrics(topology, registry),
                        store,
                        journal,
                        overrides,
                        actuators,
                        alertVotes);
        pipeline.start(null);
        onPipeline(() -> {});

        // everything answers; two rounds with quorum end the warm-up
        for (Target t : topology.targets()) {
            probe(t.id(), true);
        }
        for (Target t : topology.canaries()) {
            probe(t.id(), true);
        }
        peerAgrees();
        tick();
        clock.advance(Duration.ofSeconds(1));
        tick();
        dns.runOnce();
        relays.runOnce();

        // europe's only backend fails: the region relays through its relay to apac
        clock.advance(Duration.ofSeconds(10));
        turn("europe/backend/web1", false);
        dns.runOnce();
        relays.runOnce();

        // americas dies: a second removal within the window waits for a confirmation
        clock.advance(Duration.ofSeconds(10));
        turn(Target.loadBalancerId("americas", dev.pharos.config.Family.IPV4), false);
        dns.runOnce();
        pipeline.confirm(List.of(), "admin");
        onPipeline(() -> {});
        // the provider fails: once retryably while applying, then its read is refused for good
        dnsProvider.applyFailures.add(
                ActuatorException.retryable("SERVFAIL from 127.0.0.53", null));
        dns.runOnce();
        for (int i = 0; i < 4; i++) {
            dnsProvider.readFailures.add(
                    ActuatorException.retryable("connection refused: 127.0.0.53:53", null));
            dns.runOnce();
        }
        dnsProvider.readFailures.add(
                ActuatorException.permanent("TSIG key refused (BADKEY)", null));
        dns.runOnce();
        actuators.resume("in-memory");
        // resumed, and the apply goes through, but not every server serves it in time
        dnsProvider.verifyFailure =
                ActuatorException.retryable("127.0.0.54:53 still serves serial 17", null);
        dns.runOnce();

        // a relay change fails once, then a permanent refusal stops the relay actuator
        clock.advance(Duration.ofSeconds(10));
        turn(Target.loadBalancerId("africa", dev.pharos.config.Family.IPV4), false);
        relayActuator.failures.add(ActuatorException.retryable("runtime API timed out", null));
        relays.runOnce();
        relays.runOnce();
        relayActuator.failures.add(
                ActuatorException.permanent("No such server: forward/target", null));
        relays.runOnce();
        actuators.resume("haproxy");
        relays.runOnce();

        // europe's backend is back: europe is serving but held down, then back in DNS
        clock.advance(Duration.ofSeconds(10));
        turn("europe/backend/web1", true);
        dns.runOnce();
        relays.runOnce();
        clock.advance(Duration.ofSeconds(61));
        tick();
        dns.runOnce();
        relays.runOnce();

        // americas is back; the apply's answer is lost but it went through: the next run says
        // the failures are over
        clock.advance(Duration.ofSeconds(10));
        turn(Target.loadBalancerId("americas", dev.pharos.config.Family.IPV4), true);
        clock.advance(Duration.ofSeconds(61));
        tick();
        dnsProvider.loseAnswer = true;
        dns.runOnce();
        dns.runOnce();
        clock.advance(Duration.ofSeconds(61));
        turn(Target.loadBalancerId("africa", dev.pharos.config.Family.IPV4), true);
        clock.advance(Duration.ofSeconds(61));
        tick();
        dns.runOnce();

        // the canary (no region) goes down and comes back
        clock.advance(Duration.ofSeconds(10));
        turn("canary/anycast", false);
        turn("canary/anycast", true);

        // drains: set and removed by an operator, and one that expires
        clock.advance(Duration.ofSeconds(10));
        overrides.drain(
                "apac", "kernel upgrade", clock.instant().plus(Duration.ofMinutes(30)), "admin");
        tick();
        dns.runOnce();
        overrides.undrain("apac", "admin");
        tick();
        clock.advance(Duration.ofSeconds(61));
        tick();
        dns.runOnce();
        overrides.drain(
                "africa",
                "provider maintenance",
                clock.instant().plus(Duration.ofMinutes(1)),
                "admin");
        tick();
        clock.advance(Duration.ofMinutes(2));
        tick();
        clock.advance(Duration.ofSeconds(61));
        tick();
        dns.runOnce();

        // every region down: never-empty keeps every address (fail open), then one comes back
        clock.advance(Duration.ofMinutes(11));
        for (Region r : topology.regions().values()) {
            for (Target lb :
                    List.of(r.loadBalancerV4(), r.loadBalancerV6()).stream()
                            .flatMap(Optional::stream)
                            .toList()) {
                probe(lb.id(), false);
            }
        }
        clock.advance(Duration.ofMillis(200));
        for (Region r : topology.regions().values()) {
            for (Target lb :
                    List.of(r.loadBalancerV4(), r.loadBalancerV6()).stream()
                            .flatMap(Optional::stream)
                            .toList()) {
                probe(lb.id(), false);
            }
        }
        peerAgrees();
        tick();
        pipeline.confirm(List.of(), "admin");
        onPipeline(() -> {});
        dns.runOnce();
        relays.runOnce();
        clock.advance(Duration.ofSeconds(10));
        turn(Target.loadBalancerId("apac", dev.pharos.config.Family.IPV4), true);
        turn(Target.loadBalancerId("apac", dev.pharos.config.Family.IPV6), true);
        clock.advance(Duration.ofSeconds(61));
        tick();
        dns.runOnce();

        // inbound alerts: about a target (counted as a vote), a resolved one about a region, one
        // without Pharos labels; and a peer asking for a re-probe
        InboundAlerts inbound =
                FixtureAlerts.inbound(config, topology, journal, alertVotes, pipeline);
        FixtureAlerts.receive(
                inbound,
                "firing",
                Map.of(
                        "alertname", "BlackboxDown",
                        "pharos_target", "europe/lb/ipv4",
                        "severity", "critical"));
        onPipeline(() -> {});
        FixtureAlerts.receive(
                inbound,
                "resolved",
                Map.of("alertname", "RegionSlow", "pharos_region", "apac", "severity", "warning"));
        FixtureAlerts.receive(
                inbound, "firing", Map.of("alertname", "DiskFull", "severity", "warning"));
        Reprobes reprobes = FixtureAlerts.reprobes(topology, journal);
        FixtureAlerts.peerReprobe(reprobes, List.of("europe/lb/ipv4", "europe/backend/web1"));
        FixtureAlerts.peerReprobe(reprobes, List.of("apac/lb/ipv4", "americas/lb/ipv4"));

        // the peer goes quiet: quorum is lost, then regained
        clock.advance(Duration.ofHours(3));
        for (Target t : topology.targets()) {
            probe(t.id(), true);
        }
        tick();
        peerAgrees();
        tick();

        // dry run, and an instance that does not actuate: plans only
        for (boolean dryRun : new boolean[] {true, false}) {
            DnsReconciler planner =
                    new DnsReconciler(
                            new InMemoryDnsProvider(dryRun ? "dry" : "passive"),
                            ManagedRecords.owned(topology),
                            !dryRun ? false : true,
                            dryRun,
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(30),
                            journal,
                            new ActuatorMetrics(registry),
                            clock,
                            new Held());
            planner.desire(pipeline.state().desired(), Map.of());
            planner.runOnce();
        }

        // the process dies mid-apply: the next start records the apply as interrupted
        clock.advance(Duration.ofSeconds(10));
        turn(Target.loadBalancerId("europe", dev.pharos.config.Family.IPV4), true);
        clock.advance(Duration.ofSeconds(61));
        tick();
        dnsProvider.crash = true;
        try {
            dns.runOnce();
        } catch (IllegalStateException expected) {
            // the crash
        }
        pipeline.stop(null);
        Thread.sleep(500); // let the notifier's refusals be journaled
        notifier.close();
        journal.close();
        clock.advance(Duration.ofSeconds(30));
        new Journal(data, "vp1", clock, Json.MAPPER, 20_000).close();

        Path out = Path.of(System.getProperty("pharos.fixture.out"));
        Files.createDirectories(out.getParent());
        Files.copy(data.resolve("journal.jsonl"), out, StandardCopyOption.REPLACE_EXISTING);
    }
}
