package dev.pharos.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.Family;
import dev.pharos.config.Region;
import dev.pharos.config.Topology;
import dev.pharos.observation.Health;
import dev.pharos.quorum.Verdict;
import dev.pharos.testing.TestTopology;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegionStatesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static final Topology TOPOLOGY =
            TestTopology.node("t")
                    .region(
                            "eu",
                            r ->
                                    r.ipv4("127.0.1.1")
                                            .ipv6("::1")
                                            .backend("a", "127.0.1.11")
                                            .backend("b", "127.0.1.12")
                                            .relay("127.0.1.21")
                                            .set("min-backends", 1))
                    .region(
                            "us",
                            r ->
                                    r.ipv4("127.0.2.1")
                                            .backend("a", "127.0.2.11")
                                            .backend("b", "127.0.2.12")
                                            .set("min-backends", 2))
                    .topology();

    /** Verdicts as letters in order lb4, lb6, a, b, relay (U up, D down, ? unknown). */
    static Stream<Arguments> eu() {
        return Stream.of(
                Arguments.of(
                        "everything up is healthy",
                        "UUUUU",
                        RegionState.HEALTHY,
                        RegionState.HEALTHY),
                Arguments.of(
                        "one backend down is degraded",
                        "UUUDU",
                        RegionState.DEGRADED,
                        RegionState.DEGRADED),
                Arguments.of(
                        "all backends down with a live relay relays",
                        "UUDDU",
                        RegionState.RELAYING,
                        RegionState.RELAYING),
                Arguments.of(
                        "all backends down and the relay down is dead",
                        "UUDDD",
                        RegionState.DEAD,
                        RegionState.DEAD),
                Arguments.of(
                        "load balancer down is dead", "DDUUU", RegionState.DEAD, RegionState.DEAD),
                Arguments.of(
                        "ipv6 down, ipv4 up: judged per family",
                        "UDUUU",
                        RegionState.HEALTHY,
                        RegionState.DEAD),
                Arguments.of(
                        "unknown load balancer is unknown",
                        "??UUU",
                        RegionState.UNKNOWN,
                        RegionState.UNKNOWN),
                Arguments.of(
                        "unknown backends that could decide it",
                        "UUD?U",
                        RegionState.UNKNOWN,
                        RegionState.UNKNOWN),
                Arguments.of(
                        "an unknown backend beside an up one",
                        "UUU?U",
                        RegionState.HEALTHY,
                        RegionState.HEALTHY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eu")
    void regionStateFollowsItsVerdicts(
            String name, String verdicts, RegionState v4, RegionState v6) {
        Region eu = TOPOLOGY.regions().get("eu");
        String[] ids = {"eu/lb/ipv4", "eu/lb/ipv6", "eu/backend/a", "eu/backend/b", "eu/relay"};
        RegionStatus s =
                RegionStates.evaluate(
                        eu, verdicts(ids, verdicts), Optional.empty(), Optional.empty(), NOW);
        assertThat(s.family(Family.IPV4).orElseThrow().state()).isEqualTo(v4);
        assertThat(s.family(Family.IPV6).orElseThrow().state()).isEqualTo(v6);
        assertThat(s.state()).isEqualTo(v4.ordinal() >= v6.ordinal() ? v4 : v6);
    }

    @Test
    void withoutARelayDeadBackendsMakeTheRegionDead() {
        Region us = TOPOLOGY.regions().get("us");
        String[] ids = {"us/lb/ipv4", "us/backend/a", "us/backend/b"};
        RegionStatus s =
                RegionStates.evaluate(
                        us, verdicts(ids, "UDD"), Optional.empty(), Optional.empty(), NOW);
        assertThat(s.state()).isEqualTo(RegionState.DEAD);
        assertThat(s.reason()).contains("no relay");
    }

    @Test
    void minBackendsTwoMakesOneDownDead() {
        Region us = TOPOLOGY.regions().get("us");
        String[] ids = {"us/lb/ipv4", "us/backend/a", "us/backend/b"};
        RegionStatus s =
                RegionStates.evaluate(
                        us, verdicts(ids, "UUD"), Optional.empty(), Optional.empty(), NOW);
        assertThat(s.state()).isEqualTo(RegionState.DEAD);
        assertThat(s.backendsUp()).isEqualTo(1);
    }

    @Test
    void aDrainTakesTheRegionOutWhateverItsVerdicts() {
        Region eu = TOPOLOGY.regions().get("eu");
        String[] ids = {"eu/lb/ipv4", "eu/lb/ipv6", "eu/backend/a", "eu/backend/b", "eu/relay"};
        Drain d = new Drain("eu", "maintenance", NOW, NOW.plusSeconds(3600), "admin");
        RegionStatus s =
                RegionStates.evaluate(
                        eu, verdicts(ids, "UUUUU"), Optional.of(d), Optional.empty(), NOW);
        assertThat(s.state()).isEqualTo(RegionState.DRAINED);
        assertThat(s.reason()).contains("maintenance");
    }

    @Test
    void sinceIsKeptWhileTheStateStays() {
        Region eu = TOPOLOGY.regions().get("eu");
        String[] ids = {"eu/lb/ipv4", "eu/lb/ipv6", "eu/backend/a", "eu/backend/b", "eu/relay"};
        RegionStatus first =
                RegionStates.evaluate(
                        eu, verdicts(ids, "UUUUU"), Optional.empty(), Optional.empty(), NOW);
        RegionStatus later =
                RegionStates.evaluate(
                        eu,
                        verdicts(ids, "UUUUU"),
                        Optional.empty(),
                        Optional.of(first),
                        NOW.plusSeconds(5));
        assertThat(later.since()).isEqualTo(NOW);
        RegionStatus changed =
                RegionStates.evaluate(
                        eu,
                        verdicts(ids, "UUUDU"),
                        Optional.empty(),
                        Optional.of(later),
                        NOW.plusSeconds(9));
        assertThat(changed.since()).isEqualTo(NOW.plusSeconds(9));
    }

    private static Map<String, Verdict> verdicts(String[] ids, String letters) {
        Map<String, Verdict> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            Health h =
                    switch (letters.charAt(i)) {
                        case 'U' -> Health.UP;
                        case 'D' -> Health.DOWN;
                        default -> Health.UNKNOWN;
                    };
            out.put(ids[i], new Verdict(ids[i], h, NOW, 0, 0, 0, 1, h.name()));
        }
        return out;
    }
}
