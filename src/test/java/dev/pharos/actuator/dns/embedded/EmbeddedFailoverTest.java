package dev.pharos.actuator.dns.embedded;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pharos.journal.EventType;
import dev.pharos.journal.Journal;
import dev.pharos.journal.JournalEvent;
import dev.pharos.testing.Dig;
import dev.pharos.testing.LoopbackHttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** End to end: verdicts change what the embedded server answers, with no reconcile delay. */
@QuarkusTest
@QuarkusTestResource(value = ThreeRegionsEmbeddedResource.class, restrictToAnnotatedClass = true)
class EmbeddedFailoverTest {
    @Inject Journal journal;

    private static Set<String> cdn() {
        return Dig.query(
                new InetSocketAddress(
                        ThreeRegionsEmbeddedResource.DNS_IP, ThreeRegionsEmbeddedResource.dnsPort),
                "cdn.example.test",
                "A");
    }

    private static Set<String> alias() {
        return Dig.query(
                new InetSocketAddress(
                        ThreeRegionsEmbeddedResource.DNS_IP, ThreeRegionsEmbeddedResource.dnsPort),
                "r1.example.test",
                "A");
    }

    @Test
    void aDeadRegionLeavesTheAnswerAllDownFailsOpenAndRecoveryReturnsAfterHoldDown() {
        List<LoopbackHttpServer> lbs = ThreeRegionsEmbeddedResource.lbs;
        Set<String> all = new TreeSet<>(List.of("127.0.72.1", "127.0.73.1", "127.0.74.1"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        assertThat(cdn()).isEqualTo(all);

        lbs.get(0).stop();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cdn().equals(Set.of("127.0.73.1", "127.0.74.1")));
        assertThat(alias()).containsExactly("127.0.73.1");
        // applied in the same breath as the verdict: the apply follows the verdict in the journal
        List<JournalEvent> events = journal.since(e -> true, 0, 10_000);
        JournalEvent verdict =
                events.stream()
                        .filter(
                                e ->
                                        e.type() == EventType.VERDICT_CHANGED
                                                && "r1/lb/ipv4".equals(e.target()))
                        .reduce((a, b) -> b)
                        .orElseThrow();
        JournalEvent applied =
                events.stream()
                        .filter(e -> e.type() == EventType.APPLY_OK && e.seq() > verdict.seq())
                        .findFirst()
                        .orElseThrow();
        assertThat(applied.message()).contains("127.0.72.1");
        // the evidence: which vantage points voted what
        assertThat(verdict.data()).containsEntry("votes", java.util.Map.of("vp-e2e", "DOWN"));
        JournalEvent intent =
                events.stream()
                        .filter(e -> e.type() == EventType.APPLY_INTENT && e.seq() > verdict.seq())
                        .findFirst()
                        .orElseThrow();
        assertThat(intent.data().toString()).contains("r1/lb/ipv4").contains("votes={vp-e2e=DOWN}");

        lbs.get(1).stop();
        lbs.get(2).stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> events(EventType.ALL_REGIONS_DOWN) > 0);
        // the event is journaled before the answer changes: with every region stopped, the only
        // way back to all three addresses is the never-empty rule failing open
        await().atMost(Duration.ofSeconds(30)).until(() -> cdn().equals(all));

        lbs.forEach(LoopbackHttpServer::start);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> events(EventType.ALL_REGIONS_DOWN_RESOLVED) > 0);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cdn().equals(all) && alias().equals(Set.of("127.0.72.1")));
    }

    private long events(EventType type) {
        return journal.since(e -> e.type() == type, 0, 10_000).size();
    }
}
