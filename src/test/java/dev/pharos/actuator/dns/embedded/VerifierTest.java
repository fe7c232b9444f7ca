package dev.pharos.actuator.dns.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.DnsPlanner;
import dev.pharos.actuator.dns.DnsWire;
import dev.pharos.actuator.dns.Verifier;
import dev.pharos.actuator.dns.VerifyReport;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import io.vertx.core.Vertx;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verification asks every authoritative server on its own: one name server that never answers (a
 * UDP socket nobody reads, the fake) does not hide that the other served the change at once, and
 * the deadline holds however many changes there are.
 */
class VerifierTest {
    private final Vertx vertx = Vertx.vertx();
    private final Set<RecordKey> owned = ManagedRecords.owned(TestZone.topology());
    private EmbeddedDnsProvider provider;
    private DatagramSocket silent;

    @BeforeEach
    void start() throws Exception {
        provider = TestZone.start(vertx, TestZone.listen("127.0.70.41"));
        silent = new DatagramSocket(0, InetAddress.getByName("127.0.70.42"));
    }

    @AfterEach
    void stop() {
        silent.close();
        provider.stop();
        vertx.close();
    }

    @Test
    void eachServerIsReportedOnItsOwnAndOneThatNeverAnswersHoldsOnlyItself() throws Exception {
        Map<RecordKey, RecordSet> desired = new TreeMap<>(provider.read(owned));
        // every A set, alias included: several changes
        desired.replaceAll((k, v) -> k.type().equals("A") ? v.withValues(List.of("127.0.3.1")) : v);
        DnsPlan plan = DnsPlanner.plan(provider.read(owned), desired);
        assertThat(plan.changes().size()).as("several changes").isGreaterThan(1);
        provider.apply(plan);

        InetSocketAddress served = new InetSocketAddress("127.0.70.41", provider.port());
        InetSocketAddress unreachable = new InetSocketAddress("127.0.70.42", silent.getLocalPort());
        Duration deadline = Duration.ofSeconds(2);
        Verifier verifier =
                new Verifier(
                        DnsWire.name("example.test."),
                        served,
                        Optional.of(List.of(unreachable, served)),
                        Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        VerifyReport report = verifier.verify(plan, deadline);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(report.complete()).isFalse();
        VerifyReport.Server bad = report.servers().get(0);
        VerifyReport.Server good = report.servers().get(1);
        assertThat(bad.server()).isEqualTo("127.0.70.42:" + silent.getLocalPort());
        assertThat(bad.served()).isFalse();
        assertThat(bad.problem()).startsWith("not served after 2000 ms");
        assertThat(good.server()).isEqualTo("127.0.70.41:" + provider.port());
        // asked beside the silent one, not after it: served well before the deadline
        assertThat(good.servedAfterMs()).isLessThan(deadline.toMillis() / 2);
        // one query timeout per change would be 1 s each; the deadline bounds the whole
        assertThat(took).isLessThan(deadline.plusMillis(1500));
        assertThat(report.pending()).doesNotContain("127.0.70.41");
    }
}
