package dev.pharos.actuator.dns.embedded;

import static dev.pharos.actuator.dns.embedded.AnswererTest.query;
import static dev.pharos.actuator.dns.embedded.AnswererTest.rdata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pharos.actuator.ActuatorException;
import dev.pharos.actuator.dns.DnsPlan;
import dev.pharos.actuator.dns.DnsPlanner;
import dev.pharos.decision.ManagedRecords;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The provider contract (read, compare-and-set apply, verify) against the live server. */
class EmbeddedDnsProviderTest {
    private static final RecordKey CDN_A = new RecordKey("cdn.example.test", "A");
    private static final RecordKey CDN_AAAA = new RecordKey("cdn.example.test", "AAAA");

    private final Vertx vertx = Vertx.vertx();
    private final Set<RecordKey> owned = ManagedRecords.owned(TestZone.topology());
    private EmbeddedDnsProvider provider;
    private SimpleResolver resolver;

    @BeforeEach
    void start() throws Exception {
        provider = TestZone.start(vertx, TestZone.listen("127.0.70.31"));
        resolver = ResolverConformanceTest.resolver("udp", "127.0.70.31", provider.port(), 0);
    }

    @AfterEach
    void stop() {
        provider.stop();
        vertx.close();
    }

    private Message ask(String name, int type) throws Exception {
        return resolver.send(query(name, type));
    }

    private long servedSerial() throws Exception {
        return ((SOARecord) ask("example.test.", Type.SOA).getSection(Section.ANSWER).get(0))
                .getSerial();
    }

    @Test
    void untilTheFirstApplyEveryConfiguredAddressIsServed() throws Exception {
        assertThat(provider.name()).isEqualTo("embedded");
        assertThat(provider.read(owned)).isEqualTo(ManagedRecords.failOpen(TestZone.topology()));
        assertThat(rdata(ask("cdn.example.test.", Type.A), Section.ANSWER))
                .containsExactly("127.0.1.1", "127.0.2.1", "127.0.3.1");
    }

    @Test
    void anAppliedPlanIsServedAtOnceUnderAHigherSerial() throws Exception {
        long before = servedSerial();
        Map<RecordKey, RecordSet> desired = new TreeMap<>(provider.read(owned));
        desired.put(CDN_A, desired.get(CDN_A).withValues(List.of("127.0.1.1", "127.0.3.1")));
        DnsPlan plan = DnsPlanner.plan(provider.read(owned), desired);
        assertThat(plan.hasChanges()).isTrue();

        provider.apply(plan);

        assertThat(rdata(ask("cdn.example.test.", Type.A), Section.ANSWER))
                .containsExactly("127.0.1.1", "127.0.3.1");
        assertThat(servedSerial()).isGreaterThan(before);
        assertThat(provider.read(owned)).isEqualTo(desired);
        assertThat(provider.verify(plan, Duration.ofSeconds(1)).servers())
                .as("it serves the change itself")
                .isEmpty();
        assertThat(DnsPlanner.plan(provider.read(owned), desired).hasChanges())
                .as("applying the same desired state again changes nothing")
                .isFalse();
    }

    @Test
    void aPlanReadBeforeAnotherChangeFailsRetryablyAndChangesNothing() throws Exception {
        Map<RecordKey, RecordSet> read = provider.read(owned);
        Map<RecordKey, RecordSet> first = new TreeMap<>(read);
        first.put(CDN_A, read.get(CDN_A).withValues(List.of("127.0.2.1")));
        Map<RecordKey, RecordSet> second = new TreeMap<>(read);
        second.put(CDN_A, read.get(CDN_A).withValues(List.of("127.0.3.1")));
        DnsPlan stale = DnsPlanner.plan(read, second);
        provider.apply(DnsPlanner.plan(read, first));
        long serial = servedSerial();

        assertThatThrownBy(() -> provider.apply(stale))
                .isInstanceOf(ActuatorException.class)
                .matches(e -> ((ActuatorException) e).retryable())
                .hasMessageContaining("cdn.example.test/A changed since it was read");

        assertThat(rdata(ask("cdn.example.test.", Type.A), Section.ANSWER))
                .containsExactly("127.0.2.1");
        assertThat(servedSerial()).isEqualTo(serial);
    }

    @Test
    void aDeletedRrsetLeavesTheNameInPlaceAsNodata() throws Exception {
        Map<RecordKey, RecordSet> desired = new TreeMap<>(provider.read(owned));
        desired.put(CDN_AAAA, desired.get(CDN_AAAA).withValues(List.of()));
        provider.apply(DnsPlanner.plan(provider.read(owned), desired));
        assertThat(provider.read(owned)).doesNotContainKey(CDN_AAAA);
        Message r = ask("cdn.example.test.", Type.AAAA);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(r.getSection(Section.AUTHORITY)).hasSize(1);
    }

    @Test
    void theServedSerialIsExported() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmbeddedDnsProvider p =
                new EmbeddedDnsProvider(
                        Optional.of(TestZone.embedded(TestZone.listen("127.0.70.32"))),
                        ManagedRecords.failOpen(TestZone.topology()),
                        vertx,
                        new EmbeddedDnsMetrics(registry),
                        new ZoneSerial(java.time.Clock.systemUTC(), Optional.empty()),
                        System::nanoTime);
        p.start();
        try {
            assertThat(registry.get("pharos_dns_zone_serial").gauge().value())
                    .isEqualTo((double) p.zone().serial());
            p.publish(Map.of());
            assertThat(registry.get("pharos_dns_zone_serial").gauge().value())
                    .isEqualTo((double) p.zone().serial());
        } finally {
            p.stop();
        }
    }

    @Test
    void anotherProviderLeavesTheServerOff() {
        EmbeddedDnsProvider off =
                new EmbeddedDnsProvider(
                        TestZone.description().dns("none").topology().dns().embedded(),
                        Map.of(),
                        vertx,
                        new EmbeddedDnsMetrics(new SimpleMeterRegistry()),
                        new ZoneSerial(java.time.Clock.systemUTC(), Optional.empty()),
                        System::nanoTime);
        assertThat(off.enabled()).isFalse();
        assertThat(off.zone()).isNull();
        assertThatThrownBy(() -> off.read(owned)).isInstanceOf(ActuatorException.class);
    }
}
