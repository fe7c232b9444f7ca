package dev.pharos.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Topology;
import dev.pharos.decision.DecisionMemory;
import dev.pharos.decision.Membership;
import dev.pharos.domain.RecordKey;
import dev.pharos.domain.RecordSet;
import dev.pharos.journal.PersistedState;
import dev.pharos.testing.TestTopology;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What survives a restart is filtered through the configuration of the new run: a restart never
 * re-publishes an address that is no longer configured, and memory about a region that is gone
 * neither holds anything back nor spends blast-radius budget.
 */
class RestoredStateTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final RecordKey CDN = new RecordKey("cdn.example.test", "A");
    private static final RecordKey ALIAS = new RecordKey("a.example.test", "A");

    /** Regions a and b now; c was configured before the restart, and a had another address. */
    private static Topology now() {
        return TestTopology.node("t")
                .region("a", r -> r.ipv4("127.0.1.1").fallback("b"))
                .region("b", r -> r.ipv4("127.0.2.1").fallback("a"))
                .roundRobin("cdn.example.test", 60)
                .alias("a.example.test", "a", 60)
                .zone("example.test")
                .topology();
    }

    @Test
    void aRestoredDesiredStateKeepsOnlyAddressesStillConfigured() {
        PersistedState saved =
                PersistedState.empty()
                        .withDesiredRecords(
                                List.of(
                                        RecordSet.of(
                                                "cdn.example.test",
                                                "A",
                                                60,
                                                List.of("127.0.2.1", "127.0.3.1", "127.0.9.9")),
                                        RecordSet.of(
                                                "a.example.test", "A", 60, List.of("127.0.9.9")),
                                        RecordSet.of(
                                                "gone.example.test",
                                                "A",
                                                60,
                                                List.of("127.0.2.1"))));
        RestoredState restored = new RestoredState(now(), saved);
        Map<RecordKey, RecordSet> records = restored.desired().records();
        // c (127.0.3.1) is no longer configured, nor is 127.0.9.9: b stays, as saved
        assertThat(records.get(CDN).values()).containsExactly("127.0.2.1");
        // nothing of the saved alias is configured any more: it fails open to its primary
        assertThat(records.get(ALIAS).values()).containsExactly("127.0.1.1");
        assertThat(records).containsOnlyKeys(CDN, ALIAS);
    }

    @Test
    void anAliasRestoredOnItsFallbackStaysThere() {
        PersistedState saved =
                PersistedState.empty()
                        .withDesiredRecords(
                                List.of(
                                        RecordSet.of(
                                                "a.example.test", "A", 60, List.of("127.0.2.1"))));
        assertThat(new RestoredState(now(), saved).desired().records().get(ALIAS).values())
                .containsExactly("127.0.2.1");
    }

    @Test
    void restoredMemoryForgetsRegionsNoLongerConfigured() {
        DecisionMemory memory =
                new DecisionMemory(
                        Map.of(
                                "a/ipv4", new Membership(false, T, Optional.empty()),
                                "a/ipv6", new Membership(false, T, Optional.empty()),
                                "c/ipv4", new Membership(false, T, Optional.empty())),
                        List.of(
                                new DecisionMemory.Removal("c", T),
                                new DecisionMemory.Removal("a", T)),
                        Map.of("c", T, "b", T));
        RestoredState restored =
                new RestoredState(now(), PersistedState.empty().withDecision(memory));
        assertThat(restored.memory().membership()).containsOnlyKeys("a/ipv4");
        assertThat(restored.memory().removals())
                .extracting(DecisionMemory.Removal::region)
                .containsExactly("a");
        assertThat(restored.memory().confirmations()).containsOnlyKeys("b");
    }
}
