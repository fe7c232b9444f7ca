package dev.pharos.actuator.dns.rfc2136;

import static dev.pharos.decision.RegionState.DEAD;
import static dev.pharos.decision.RegionState.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.ActuatorMetrics;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.DnsPlanner;
import dev.pharos.actuator.dns.DnsProvider;
import dev.pharos.actuator.dns.DnsWire;
import dev.pharos.actuator.dns.VerifyReport;
import dev.pharos.actuator.dns.WriterFence;
import dev.pharos.config.Family;
import dev.pharos.config.Topology;
import dev.pharos.decision.Decider;
import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.FamilyStatus;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.decision.RegionState;
import dev.pharos.decision.RegionStatus;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.reconcile.DnsStep;
import dev.pharos.reconcile.LoopScheduler;
import dev.pharos.reconcile.LoopSettings;
import dev.pharos.reconcile.Outcome;
import dev.pharos.reconcile.ReconcileLoop;
import dev.pharos.testing.Bind;
import dev.pharos.testing.Dig;
import dev.pharos.testing.MutableClock;
import dev.pharos.testing.TestTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Update;

/** The RFC 2136 provider and the reconcile loop against a real BIND, read back with dig. */
class Rfc2136BindTest {
    static final String ZONE = "example.test";
    // BIND listens only on addresses its interface scan finds: 127.0.0.1 on lo
    static final String IP = "127.0.0.1";
    static final RecordKey CDN = new RecordKey("cdn.example.test", "A");

    @TempDir Path data;
    Bind bind;
    Journal journal;
    ScheduledExecutorService executor;
    final MutableClock clock = MutableClock.atEpoch();
    final Topology topology =
            TestTopology.node("vp1")
                    .region("r1", "127.0.1.1")
                    .region("r2", "127.0.2.1")
                    .region("r3", "127.0.3.1")
                    .fallbacksInTurn()
                    .roundRobin("cdn.example.test", 30)
                    .alias("r1.example.test", "r1", 30)
                    .policy("max-removals", 3)
                    .dns("none")
                    .zone("example.test")
                    .topology();

    @BeforeEach
    void start() throws Exception {
        bind =
                Bind.start(
                        IP,
                        ZONE,
                        """
                        cdn 30 IN A 127.0.1.1
                        cdn 30 IN A 127.0.2.1
                        cdn 30 IN A 127.0.3.1
                        cdn 300 IN TXT "not pharos's"
                        r1 30 IN A 127.0.1.1
                        other 300 IN A 192.0.2.10
                        www 300 IN CNAME cdn
                        """);
        journal = new Journal(data, "vp1", clock, dev.pharos.testing.Json.MAPPER, 1000);
        executor = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (journal != null) {
            journal.close();
        }
        if (bind != null) {
            bind.close();
        }
    }

    private Rfc2136Provider provider(String secret) {
        return new Rfc2136Provider(
                ZONE,
                bind.address(),
                Optional.of(Bind.KEY_NAME),
                "hmac-sha256",
                Optional.of(secret),
                Duration.ofSeconds(2),
                Optional.of(List.of(bind.address())));
    }

    private ReconcileLoop<DnsStep> reconciler(DnsProvider p) {
        return new ReconcileLoop<>(
                new DnsStep(
                        p,
                        ManagedRecords.owned(topology),
                        Duration.ofSeconds(5),
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

    private DesiredState desired(RegionState... states) {
        Map<String, RegionStatus> s = new LinkedHashMap<>();
        for (int i = 0; i < states.length; i++) {
            Map<Family, FamilyStatus> f = new EnumMap<>(Family.class);
            f.put(Family.IPV4, new FamilyStatus(Family.IPV4, states[i], states[i].name()));
            s.put(
                    "r" + (i + 1),
                    new RegionStatus(
                            "r" + (i + 1), states[i], f, 0, 0, states[i].name(), clock.instant()));
        }
        return Decider.decide(topology, s, DecisionMemory.empty(), clock.instant()).desired();
    }

    private List<EventType> types() {
        return journal.since(e -> true, 0, 1000).stream().map(JournalEvent::type).toList();
    }

    @Test
    void aDeadRegionLeavesTheRecordAndComesBackAndASecondRunSendsNothing() {
        ReconcileLoop<DnsStep> r = reconciler(provider(bind.secret()));
        r.desire(desired(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(Dig.query(bind.address(), "cdn.example.test", "A"))
                .containsExactly("127.0.2.1", "127.0.3.1");
        assertThat(Dig.query(bind.address(), "r1.example.test", "A")).containsExactly("127.0.2.1");
        String serial = Dig.query(bind.address(), ZONE, "SOA").first();

        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(Dig.query(bind.address(), ZONE, "SOA").first()).isEqualTo(serial);

        r.desire(desired(HEALTHY, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(Dig.query(bind.address(), "cdn.example.test", "A"))
                .containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
        assertThat(types())
                .containsSubsequence(
                        EventType.APPLY_INTENT,
                        EventType.APPLY_OK,
                        EventType.PROPAGATED,
                        EventType.APPLY_INTENT,
                        EventType.APPLY_OK,
                        EventType.PROPAGATED);
        assertThat(r.status().lastPropagationMs()).isNotNull();
    }

    @Test
    void recordsPharosDoesNotOwnAreNeverTouchedEvenWhenEditedMeanwhile() throws Exception {
        ReconcileLoop<DnsStep> r = reconciler(provider(bind.secret()));
        externalUpdate(
                u -> {
                    u.add(
                            DnsWire.name("other.example.test"),
                            org.xbill.DNS.Type.A,
                            300,
                            "192.0.2.11");
                });
        r.desire(desired(DEAD, DEAD, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(Dig.query(bind.address(), "cdn.example.test", "A")).containsExactly("127.0.3.1");
        assertThat(Dig.query(bind.address(), "cdn.example.test", "TXT"))
                .containsExactly("\"not pharos's\"");
        assertThat(Dig.query(bind.address(), "other.example.test", "A"))
                .containsExactly("192.0.2.10", "192.0.2.11");
        assertThat(Dig.query(bind.address(), "www.example.test", "CNAME"))
                .containsExactly("cdn.example.test.");
    }

    @Test
    void aConcurrentEditOfTheManagedSetTakesThePrerequisiteFailurePath() throws Exception {
        Rfc2136Provider real = provider(bind.secret());
        boolean[] edited = {false};
        DnsProvider racing =
                new DnsProvider() {
                    public String name() {
                        return real.name();
                    }

                    public Map<RecordKey, RecordSet> read(Set<RecordKey> owned)
                            throws ActuatorException {
                        Map<RecordKey, RecordSet> m = real.read(owned);
                        if (!edited[0]) {
                            edited[0] = true;
                            try {
                                // someone adds an address between our read and our update
                                externalUpdate(
                                        u ->
                                                u.add(
                                                        DnsWire.record(
                                                                CDN, "127.0.9.9", DClass.IN, 30)));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                        return m;
                    }

                    public void apply(DnsPlan plan) throws ActuatorException {
                        real.apply(plan);
                    }

                    public VerifyReport verify(DnsPlan plan, Duration timeout)
                            throws ActuatorException {
                        return real.verify(plan, timeout);
                    }
                };
        ReconcileLoop<DnsStep> r = reconciler(racing);
        r.desire(desired(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.APPLIED);
        // re-read, re-planned: the stray address is gone too, the desired set is exact
        assertThat(Dig.query(bind.address(), "cdn.example.test", "A"))
                .containsExactly("127.0.2.1", "127.0.3.1");
        List<JournalEvent> events = journal.since(e -> true, 0, 100);
        assertThat(events)
                .anyMatch(
                        e ->
                                e.type() == EventType.APPLY_FAILED
                                        && e.message().contains("prerequisite failed"));
        assertThat(events)
                .anyMatch(
                        e ->
                                e.type() == EventType.APPLY_INTENT
                                        && e.message().contains("re-planned"));
    }

    /** A writer's fence with a term the test sets, recording who superseded it. */
    static final class TestFence implements WriterFence {
        volatile long term;
        final List<long[]> superseded = new java.util.concurrent.CopyOnWriteArrayList<>();

        TestFence(long term) {
            this.term = term;
        }

        @Override
        public OptionalLong fencingTerm() {
            return term < 0 ? OptionalLong.empty() : OptionalLong.of(term);
        }

        @Override
        public void superseded(long ours, long theirs) {
            superseded.add(new long[] {ours, theirs});
            term = -1; // steps down: writes nothing more
        }
    }

    @Test
    void aPausedWritersLateUpdateIsRefusedByTheServerItselfAndTheWriterStepsDown()
            throws Exception {
        TestFence oldFence = new TestFence(5);
        Rfc2136Provider old = provider(bind.secret()).fencedBy(oldFence);
        ReconcileLoop<DnsStep> oldLoop = reconciler(old);
        oldLoop.desire(desired(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(oldLoop.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(Dig.query(bind.address(), "_pharos-writer.example.test", "TXT"))
                .as("the first writer took the fence")
                .containsExactly("\"5\"");

        // the old writer reads and plans (r2 dead), then pauses before its update goes out
        Set<RecordKey> owned = ManagedRecords.owned(topology);
        DnsPlan late = DnsPlanner.plan(old.read(owned), desired(HEALTHY, DEAD, HEALTHY).records());
        assertThat(late.hasChanges()).isTrue();

        // meanwhile its lease ran out and a new writer (a later term) took over; it finds
        // nothing to change, but takes the fence over before anything else
        TestFence newFence = new TestFence(7);
        ReconcileLoop<DnsStep> newLoop = reconciler(provider(bind.secret()).fencedBy(newFence));
        newLoop.desire(desired(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(newLoop.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(Dig.query(bind.address(), "_pharos-writer.example.test", "TXT"))
                .containsExactly("\"7\"");
        Set<String> before = Dig.query(bind.address(), "cdn.example.test", "A");

        // the old writer wakes up: the records are still those it read, so only the fence can
        // refuse its update, and the server does
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowableOfType(
                                ActuatorException.class, () -> old.apply(late)))
                .isNotNull()
                .satisfies(e -> assertThat(e.getMessage()).contains("fenced", "holds term 7"));
        assertThat(Dig.query(bind.address(), "cdn.example.test", "A"))
                .as("the late update changed nothing")
                .isEqualTo(before)
                .containsExactly("127.0.2.1", "127.0.3.1");
        assertThat(oldFence.superseded).singleElement().isEqualTo(new long[] {5, 7});
        assertThat(newFence.superseded).isEmpty();

        // a writer with an older term than the fence holds never takes it over
        TestFence older = new TestFence(6);
        ReconcileLoop<DnsStep> olderLoop = reconciler(provider(bind.secret()).fencedBy(older));
        olderLoop.desire(desired(HEALTHY, HEALTHY, HEALTHY), Map.of());
        assertThat(olderLoop.runOnce()).isEqualTo(Outcome.RETRYABLE_ERROR);
        assertThat(older.superseded).singleElement().isEqualTo(new long[] {6, 7});
        assertThat(Dig.query(bind.address(), "_pharos-writer.example.test", "TXT"))
                .containsExactly("\"7\"");
        assertThat(Dig.query(bind.address(), "cdn.example.test", "A"))
                .containsExactly("127.0.2.1", "127.0.3.1");

        // the new writer goes on writing under its term
        newLoop.desire(desired(HEALTHY, HEALTHY, HEALTHY), Map.of());
        assertThat(newLoop.runOnce()).isEqualTo(Outcome.APPLIED);
        assertThat(Dig.query(bind.address(), "cdn.example.test", "A"))
                .containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
    }

    @Test
    void aWrongTsigSecretIsPermanentStopsTheActuatorAndRaisesAnEvent() {
        String wrong = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        ReconcileLoop<DnsStep> r = reconciler(provider(wrong));
        r.desire(desired(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.PERMANENT_ERROR);
        assertThat(r.stopped()).isTrue();
        assertThat(r.runOnce()).isEqualTo(Outcome.STOPPED);
        assertThat(types()).contains(EventType.ACTUATOR_STOPPED);
        assertThat(Dig.query(bind.address(), "cdn.example.test", "A")).hasSize(3);
        // the secret itself is never in the journal
        assertThat(journal.since(e -> true, 0, 100).toString())
                .doesNotContain(wrong)
                .doesNotContain(bind.secret());
    }

    @Test
    void allRegionsDownLeavesTheRecordFull() {
        ReconcileLoop<DnsStep> r = reconciler(provider(bind.secret()));
        r.desire(desired(DEAD, DEAD, DEAD), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(Dig.query(bind.address(), "cdn.example.test", "A"))
                .containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
    }

    @Test
    void anUnreachableServerIsRetryable() throws Exception {
        ReconcileLoop<DnsStep> r = reconciler(provider(bind.secret()));
        bind.close();
        r.desire(desired(DEAD, HEALTHY, HEALTHY), Map.of());
        assertThat(r.runOnce()).isEqualTo(Outcome.RETRYABLE_ERROR);
        assertThat(r.stopped()).isFalse();
    }

    interface Edit {
        void apply(Update u) throws Exception;
    }

    private void externalUpdate(Edit edit) throws Exception {
        Update u = new Update(DnsWire.name(ZONE));
        edit.apply(u);
        SimpleResolver res = new SimpleResolver(bind.address());
        res.setTCP(true);
        res.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, Bind.KEY_NAME, bind.secret()));
        Message m = res.send(u);
        assertThat(Rcode.string(m.getRcode())).isEqualTo("NOERROR");
    }
}
