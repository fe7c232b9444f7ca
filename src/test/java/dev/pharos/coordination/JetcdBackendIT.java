package dev.pharos.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.CoordinationSettings;
import dev.pharos.testing.Etcd;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The election's etcd calls ({@link JetcdBackend}) against a real three-member etcd (Debian's
 * etcd-server on 127.0.94.1-3), with one member taken away: a lease of 3 s must be renewable all
 * along, or the writer changes although etcd never lost its quorum.
 */
class JetcdBackendIT {
    private static final Duration TTL = Duration.ofSeconds(3);
    // the leader tests wait for etcd's own election: 1-2 s at its 1 s election timeout on a quiet
    // machine, longer when its members are starved of CPU (a split vote adds another election);
    // the lease must outlast it, and the renewal may take as long as the lease has left
    private static final Duration LONG_TTL = Duration.ofSeconds(10);
    private static Etcd etcd;
    private JetcdBackend backend;

    @BeforeAll
    static void start() throws Exception {
        etcd = Etcd.startThree();
    }

    @AfterAll
    static void stop() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void connect() throws Exception {
        etcd.awaitHealthy(Duration.ofSeconds(30));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> etcd.leader() > 0);
        backend =
                new JetcdBackend(
                        new CoordinationSettings.Etcd(
                                etcd.endpoints().stream().map(URI::create).toList(),
                                "/pharos/test",
                                TTL,
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()),
                        TTL.dividedBy(3));
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void everyRenewalIsAnsweredWhileOneMemberStopsAnswering() throws Exception {
        long lease = backend.grant(TTL.toSeconds());
        assertThat(backend.keepAlive(lease, TTL)).isPositive();
        // a follower paused (SIGSTOP): its connection stays up, so the client keeps sending it
        // calls in its turn, and none of them is answered
        int paused = etcd.leader() == 1 ? 2 : 1;
        assertThat(etcd.signal(paused, "STOP")).isTrue();
        try {
            for (int i = 0; i < 15; i++) {
                assertThat(backend.keepAlive(lease, TTL.dividedBy(3)))
                        .as("renewal %d, one of three members paused", i)
                        .isPositive();
            }
        } finally {
            etcd.signal(paused, "CONT");
        }
    }

    @Test
    void aRenewalSentWhenTheLeaderDiesIsAnsweredOnceEtcdHasElectedAnother() throws Exception {
        long lease = backend.grant(LONG_TTL.toSeconds());
        assertThat(backend.keepAlive(lease, TTL)).isPositive();
        int leader = etcd.leader();
        etcd.kill(leader);
        try {
            // what the writer allows it: the time its lease has left, a little under the TTL
            assertThat(backend.keepAlive(lease, LONG_TTL.minusMillis(100)))
                    .as("renewed after etcd's election")
                    .isPositive();
        } finally {
            etcd.start(leader);
        }
    }

    @Test
    void aRenewalIsAnsweredWhenTheLeaderHangsOnceEtcdHasElectedAnother() throws Exception {
        long lease = backend.grant(LONG_TTL.toSeconds());
        assertThat(backend.keepAlive(lease, TTL)).isPositive();
        // paused, the leader keeps its connections: a follower passes a renewal on to it and
        // waits, until it has elected another leader and a later round reaches that one
        int leader = etcd.leader();
        assertThat(etcd.signal(leader, "STOP")).isTrue();
        try {
            assertThat(backend.keepAlive(lease, LONG_TTL.minusMillis(100))).isPositive();
        } finally {
            etcd.signal(leader, "CONT");
        }
    }

    @Test
    void aLeaseEtcdNoLongerKnowsIsReportedExpired() throws Exception {
        long lease = backend.grant(TTL.toSeconds());
        backend.revoke(lease);
        assertThat(backend.keepAlive(lease, TTL)).isLessThanOrEqualTo(0);
    }
}
