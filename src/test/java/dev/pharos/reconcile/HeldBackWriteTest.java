package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.ActuatorMetrics;
import dev.pharos.actuator.ActuatorMode;
import dev.pharos.coordination.ElectionBackend;
import dev.pharos.coordination.WriterElection;
import dev.pharos.decision.DesiredState;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed-7007 soak episode on the external writer's path: the writer's etcd member dies, its
 * lease runs short (no write starts with less than a third of it left) just as a region is drained,
 * so the round that would remove the region from the provider only plans; the etcd client then
 * renews the lease through another member, so the writer never stops being the writer. The region,
 * dead by the undrain, must leave the provider once the lease is renewed, not at the next decision
 * or resync (30 s) as it did: BIND served the dead region's address for 13 s.
 */
class HeldBackWriteTest {
    private static final Duration TTL = Duration.ofSeconds(3);

    @TempDir Path dir;
    Scene scene;

    /** An etcd that answers (or not): one lease, one candidate, the key always free for it. */
    private static final class Etcd implements ElectionBackend {
        boolean down;

        private void check() throws Exception {
            if (down) {
                throw new Exception("etcd: the member this client talks to is gone");
            }
        }

        @Override
        public long grant(long ttlSeconds) throws Exception {
            check();
            return 7;
        }

        @Override
        public long keepAlive(long leaseId, Duration patience) throws Exception {
            check();
            return TTL.toSeconds();
        }

        @Override
        public Holder campaign(String key, String value, long leaseId) throws Exception {
            check();
            return new Holder(value, leaseId, 32);
        }

        @Override
        public void revoke(long leaseId) throws Exception {
            check();
        }

        @Override
        public void close() {}
    }

    @BeforeEach
    void scene() {
        scene = new Scene(dir);
    }

    @AfterEach
    void close() {
        scene.close();
    }

    /** {@link Scene#allIn} without europe's address: europe drained (or dead). */
    private static DesiredState withoutEurope() {
        Map<RecordKey, RecordSet> records = new TreeMap<>();
        Scene.allIn()
                .records()
                .forEach(
                        (k, v) ->
                                records.put(
                                        k,
                                        v.withValues(
                                                v.values().stream()
                                                        .filter(a -> !a.equals("127.0.1.1"))
                                                        .toList())));
        return new DesiredState(records, Map.of(), List.of(), false);
    }

    @Test
    void aWriteHeldBackOnAShortLeaseIsMadeOnceTheLeaseIsRenewed() throws Exception {
        Etcd etcd = new Etcd();
        WriterElection election =
                new WriterElection(etcd, "/pharos/writer", "vp6", TTL, scene.clock);
        ScriptedDns dns = new ScriptedDns(scene.clock);
        ReconcileLoop<DnsStep> loop =
                new ReconcileLoop<>(
                        new DnsStep(
                                dns,
                                ManagedRecords.owned(Scene.TOPOLOGY),
                                Duration.ofSeconds(1),
                                scene.journal,
                                new ActuatorMetrics(new SimpleMeterRegistry()),
                                scene.clock,
                                Runnable::run),
                        new LoopSettings(
                                ActuatorMode.APPLY,
                                Optional.of(Scene.RESYNC),
                                election::mayStartWrite),
                        scene.journal,
                        scene.clock,
                        scene.scheduler);
        // what the Coordinator does with each tick (Actuators registers the trigger)
        Runnable tick =
                () -> {
                    if (election.tick().reconcile()) {
                        loop.trigger();
                    }
                };
        tick.run();
        assertThat(election.mayWrite()).isTrue();
        loop.start(Scene.allIn());
        loop.offer(Scene.allIn(), Map.of());
        scene.scheduler.runReady();
        assertThat(dns.published().values())
                .singleElement()
                .satisfies(s -> assertThat(s.values()).contains("127.0.1.1", "127.0.2.1"));

        // the writer's etcd member dies: renewals fail, the lease runs short by this clock
        etcd.down = true;
        for (int i = 0; i < 4; i++) {
            scene.scheduler.advance(Duration.ofMillis(500));
            tick.run();
        }
        scene.scheduler.advance(Duration.ofMillis(1));
        assertThat(election.leader()).isTrue();
        assertThat(election.mayWrite()).as("999 ms of 3 s left").isFalse();

        // europe is drained now: the round plans its removal but may not write it
        loop.offer(withoutEurope(), Map.of());
        assertThat(scene.scheduler.runReady()).isEqualTo(1);
        assertThat(dns.published().values())
                .singleElement()
                .satisfies(s -> assertThat(s.values()).contains("127.0.1.1"));

        // the client renews through another member before the lease runs out: still the writer
        etcd.down = false;
        scene.scheduler.advance(Duration.ofMillis(400));
        tick.run();
        scene.scheduler.runReady();

        assertThat(dns.published().values())
                .as("europe's address gone at the renewal, 2.4 s after the drain was decided")
                .singleElement()
                .satisfies(s -> assertThat(s.values()).containsExactly("127.0.2.1"));
        assertThat(dns.reads()).hasSize(3);
        // the renewal after that is an ordinary one: no round for nothing
        scene.scheduler.advance(Duration.ofMillis(500));
        tick.run();
        assertThat(scene.scheduler.runReady()).isZero();
        assertThat(dns.reads()).hasSize(3);
    }
}
