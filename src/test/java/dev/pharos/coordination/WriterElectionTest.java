package dev.pharos.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The writer's election over an etcd that this test plays (leases that expire by the same clock,
 * the election key's compare-and-set), timing by an injected clock: TTL 6 s.
 */
class WriterElectionTest {
    private static final Duration TTL = Duration.ofSeconds(6);
    private final MutableClock clock = MutableClock.atEpoch();
    private final FakeEtcd etcd = new FakeEtcd();

    /** One etcd for several candidates: leases expire by the clock, the key has one holder. */
    private final class FakeEtcd implements ElectionBackend {
        final Map<Long, Long> leaseExpiresAtMs = new HashMap<>();
        long nextLease = 100;
        long revision = 1;
        Holder holder;
        boolean down;
        // etcd elects a new leader until then: renewals are answered at that moment
        Instant leaderlessUntil;
        // runs while a renewal waits for its answer
        Runnable duringRenewal = () -> {};

        private void expire() {
            long now = clock.millis();
            leaseExpiresAtMs.entrySet().removeIf(e -> e.getValue() <= now);
            if (holder != null && !leaseExpiresAtMs.containsKey(holder.lease())) {
                holder = null;
                revision++;
            }
        }

        private void check() throws Exception {
            if (down) {
                throw new Exception("etcd: no leader (quorum lost)");
            }
            expire();
        }

        @Override
        public long grant(long ttlSeconds) throws Exception {
            check();
            long id = nextLease++;
            leaseExpiresAtMs.put(id, clock.millis() + ttlSeconds * 1000);
            return id;
        }

        @Override
        public long keepAlive(long leaseId, Duration patience) throws Exception {
            duringRenewal.run();
            Instant answers = leaderlessUntil;
            if (answers != null && clock.instant().isBefore(answers)) {
                // no leader: the renewal waits at a follower until one is elected
                if (Duration.between(clock.instant(), answers).compareTo(patience) > 0) {
                    clock.advance(patience);
                    throw new TimeoutException("etcd: no answer within " + patience);
                }
                clock.set(answers);
            }
            check();
            if (!leaseExpiresAtMs.containsKey(leaseId)) {
                return 0;
            }
            leaseExpiresAtMs.put(leaseId, clock.millis() + TTL.toMillis());
            return TTL.toSeconds();
        }

        @Override
        public Holder campaign(String key, String value, long leaseId) throws Exception {
            check();
            if (holder == null) {
                holder = new Holder(value, leaseId, ++revision);
            }
            return holder;
        }

        @Override
        public void revoke(long leaseId) throws Exception {
            check();
            leaseExpiresAtMs.remove(leaseId);
            expire();
        }

        @Override
        public void close() {}
    }

    private WriterElection candidate(String node) {
        return new WriterElection(etcd, "/pharos/writer", node, TTL, clock);
    }

    @Test
    void oneCandidateWinsAndKeepsTheKeyWhileItRenews() {
        WriterElection vp1 = candidate("vp1");
        WriterElection vp2 = candidate("vp2");
        assertThat(vp1.tick()).isEqualTo(WriterElection.Change.ELECTED);
        assertThat(vp2.tick()).isEqualTo(WriterElection.Change.NONE);
        assertThat(vp1.leader()).isTrue();
        assertThat(vp1.mayWrite()).isTrue();
        assertThat(vp2.leader()).isFalse();
        assertThat(vp2.mayWrite()).isFalse();
        long term = vp1.term().orElseThrow();
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(vp1.tick()).isEqualTo(WriterElection.Change.NONE);
            assertThat(vp2.tick()).isEqualTo(WriterElection.Change.NONE);
        }
        assertThat(vp1.term()).hasValue(term);
        assertThat(vp2.term()).isEmpty();
    }

    @Test
    void aDeadWritersKeyExpiresAfterTheTtlAndAnotherTakesOverWithAHigherTerm() {
        WriterElection vp1 = candidate("vp1");
        WriterElection vp2 = candidate("vp2");
        vp1.tick();
        vp2.tick();
        long term = vp1.term().orElseThrow();
        // vp1 dies: it ticks no more
        clock.advance(Duration.ofMillis(5900));
        assertThat(vp2.tick()).isEqualTo(WriterElection.Change.NONE);
        clock.advance(Duration.ofMillis(100));
        assertThat(vp2.tick()).isEqualTo(WriterElection.Change.ELECTED);
        assertThat(vp2.term().orElseThrow()).isGreaterThan(term);
    }

    @Test
    void aWriterStartsNoWriteWithLessThanAThirdOfItsLeaseLeft() {
        WriterElection vp1 = candidate("vp1");
        vp1.tick();
        clock.advance(Duration.ofMillis(3999));
        assertThat(vp1.mayWrite()).as("2001 ms of 6 s left").isTrue();
        clock.advance(Duration.ofMillis(2));
        assertThat(vp1.mayWrite()).as("1999 ms left").isFalse();
        assertThat(vp1.leader()).as("still the writer, just not writing").isTrue();
        vp1.tick();
        assertThat(vp1.mayWrite()).as("renewed").isTrue();
    }

    @Test
    void aWriterThatHeldAWriteBackOnAShortLeaseIsToldOnceWhenItMayWriteAgain() {
        WriterElection vp1 = candidate("vp1");
        WriterElection vp2 = candidate("vp2");
        assertThat(vp1.tick()).isEqualTo(WriterElection.Change.ELECTED);
        vp2.tick();
        assertThat(vp2.mayStartWrite()).as("a candidate").isFalse();
        etcd.down = true;
        clock.advance(Duration.ofMillis(4001));
        assertThat(vp1.tick())
                .as("renewal failed, still the writer")
                .isEqualTo(WriterElection.Change.NONE);
        assertThat(vp1.mayStartWrite()).as("1999 ms left").isFalse();
        etcd.down = false;
        clock.advance(Duration.ofMillis(500));
        assertThat(vp1.tick()).isEqualTo(WriterElection.Change.WRITABLE_AGAIN);
        assertThat(WriterElection.Change.WRITABLE_AGAIN.reconcile()).isTrue();
        assertThat(vp1.mayStartWrite()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(vp1.tick()).as("once").isEqualTo(WriterElection.Change.NONE);
        assertThat(vp2.tick())
                .as("a candidate's refusal says nothing")
                .isEqualTo(WriterElection.Change.NONE);
    }

    @Test
    void aWriterThatHeldNothingBackRenewsSilently() {
        WriterElection vp1 = candidate("vp1");
        vp1.tick();
        clock.advance(Duration.ofMillis(4001));
        assertThat(vp1.mayWrite()).isFalse();
        assertThat(vp1.tick()).isEqualTo(WriterElection.Change.NONE);
        assertThat(vp1.mayWrite()).isTrue();
    }

    @Test
    void aWriterKeepsItsTermWhileEtcdElectsANewLeaderForLongerThanACallTimeout() {
        WriterElection vp1 = candidate("vp1");
        WriterElection vp2 = candidate("vp2");
        vp1.tick();
        vp2.tick();
        long term = vp1.term().orElseThrow();
        clock.advance(Duration.ofSeconds(1));
        assertThat(vp1.tick()).isEqualTo(WriterElection.Change.NONE);
        // etcd's leader dies now; its followers elect another 4 s later (two of its election
        // timeouts at a 2 s setting: twice the third of the TTL an etcd call may take)
        etcd.leaderlessUntil = clock.instant().plusSeconds(4);
        clock.advance(Duration.ofMillis(500));
        assertThat(vp1.tick())
                .as("the renewal sent 0.5 s after the death is answered after the election")
                .isEqualTo(WriterElection.Change.NONE);
        assertThat(clock.instant()).isEqualTo(etcd.leaderlessUntil);
        assertThat(vp1.leader()).isTrue();
        assertThat(vp1.mayWrite()).as("renewed from the moment it was sent: 2.5 s left").isTrue();
        assertThat(vp2.tick()).isEqualTo(WriterElection.Change.NONE);
        assertThat(vp1.term()).hasValue(term);
    }

    @Test
    void aWriterSupersededWhileItsRenewalWaitsStaysDownAndCampaignsOnlyWithANewLease() {
        WriterElection vp1 = candidate("vp1");
        vp1.tick();
        long lease = etcd.holder.lease();
        // the DNS server refuses vp1's term (another writer's is there) during the renewal
        etcd.duringRenewal = vp1::stepDown;
        clock.advance(Duration.ofSeconds(1));
        assertThat(vp1.tick()).isEqualTo(WriterElection.Change.STEPPED_DOWN);
        assertThat(vp1.leader()).isFalse();
        assertThat(etcd.holder.lease()).as("no campaign with the dropped lease").isEqualTo(lease);
        assertThat(vp1.lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("superseded"));
        etcd.duringRenewal = () -> {};
        clock.advance(Duration.ofSeconds(1));
        assertThat(vp1.tick())
                .as("a candidate with a new lease: the key is still the old lease's")
                .isEqualTo(WriterElection.Change.NONE);
        assertThat(vp1.leader()).isFalse();
    }

    @Test
    void aRenewalThatIsNeverAnsweredEndsWhenTheLeaseRunsOutAndTheWriterStepsDown() {
        WriterElection vp1 = candidate("vp1");
        vp1.tick();
        clock.advance(Duration.ofSeconds(1));
        Instant renewed = clock.instant();
        vp1.tick();
        etcd.leaderlessUntil = clock.instant().plus(Duration.ofDays(1));
        clock.advance(Duration.ofMillis(500));
        assertThat(vp1.tick()).isEqualTo(WriterElection.Change.STEPPED_DOWN);
        assertThat(clock.instant())
                .as("waited exactly until the lease ran out by its clock")
                .isEqualTo(renewed.plus(TTL));
        assertThat(vp1.leader()).isFalse();
        assertThat(vp1.lastError()).hasValueSatisfying(e -> assertThat(e).contains("no answer"));
    }

    @Test
    void aPausedWriterStepsDownWhenItWakesAfterItsLeaseAndAnotherHoldsTheKey() {
        WriterElection vp1 = candidate("vp1");
        WriterElection vp2 = candidate("vp2");
        vp1.tick();
        long old = vp1.term().orElseThrow();
        // vp1 is paused (SIGSTOP) past its lease; vp2 takes over meanwhile
        clock.advance(TTL);
        assertThat(vp2.tick()).isEqualTo(WriterElection.Change.ELECTED);
        assertThat(vp1.leader()).as("by its own clock, before it ticks").isFalse();
        assertThat(vp1.mayWrite()).isFalse();
        assertThat(vp1.term()).isEmpty();
        assertThat(vp1.tick()).isEqualTo(WriterElection.Change.STEPPED_DOWN);
        assertThat(vp2.term().orElseThrow()).isGreaterThan(old);
        assertThat(vp1.leader()).isFalse();
    }

    @Test
    void whileEtcdHasNoQuorumTheWriterStopsWritingWithinItsLeaseAndNobodyIsElected() {
        WriterElection vp1 = candidate("vp1");
        WriterElection vp2 = candidate("vp2");
        vp1.tick();
        vp2.tick();
        etcd.down = true;
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            vp1.tick();
            vp2.tick();
        }
        clock.advance(Duration.ofMillis(1));
        assertThat(vp1.mayWrite()).as("4.001 s since the last renewal: under 2 s left").isFalse();
        assertThat(vp1.lastError()).contains("etcd: no leader (quorum lost)");
        clock.advance(Duration.ofSeconds(2));
        assertThat(vp1.tick()).isEqualTo(WriterElection.Change.STEPPED_DOWN);
        assertThat(vp2.tick()).isEqualTo(WriterElection.Change.NONE);
        assertThat(vp1.leader()).isFalse();
        assertThat(vp2.leader()).isFalse();

        etcd.down = false;
        clock.advance(Duration.ofSeconds(1));
        WriterElection.Change a = vp1.tick();
        WriterElection.Change b = vp2.tick();
        assertThat(a == WriterElection.Change.ELECTED ^ b == WriterElection.Change.ELECTED)
                .as("exactly one is elected once etcd is back")
                .isTrue();
    }

    @Test
    void resigningHandsOverAtOnce() {
        WriterElection vp1 = candidate("vp1");
        WriterElection vp2 = candidate("vp2");
        vp1.tick();
        vp2.tick();
        vp1.resign();
        assertThat(vp1.leader()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(vp2.tick()).isEqualTo(WriterElection.Change.ELECTED);
    }
}
