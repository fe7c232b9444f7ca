package dev.pharos.decision;

import dev.pharos.config.Family;
import dev.pharos.testing.TestTopology;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Topologies and region statuses for the decision tests. */
final class Fixtures {
    private Fixtures() {}

    static final List<String> NAMES = List.of("r1", "r2", "r3", "r4", "r5");

    /**
     * n IPv4 regions r1..rn, each with a backend and a relay, falling back to the next regions in
     * turn; a round-robin record over all and an alias per region.
     */
    static TestTopology regions(int n) {
        TestTopology t = TestTopology.node("t");
        for (int i = 1; i <= n; i++) {
            String net = "127.0." + i + ".";
            t.region("r" + i, r -> r.ipv4(net + "1").backend("web1", net + "11").relay(net + "21"));
        }
        t.fallbacksInTurn().roundRobin("cdn.example.test", 60);
        for (int i = 1; i <= n; i++) {
            t.alias("r" + i + ".example.test", "r" + i, 60);
        }
        return t.zone("example.test");
    }

    static RegionStatus status(String region, RegionState state, Instant since) {
        Map<Family, FamilyStatus> f = new EnumMap<>(Family.class);
        f.put(Family.IPV4, new FamilyStatus(Family.IPV4, state, state.name().toLowerCase()));
        return new RegionStatus(region, state, f, 0, 1, state.name().toLowerCase(), since);
    }

    static Map<String, RegionStatus> statuses(Instant now, RegionState... states) {
        Map<String, RegionStatus> out = new LinkedHashMap<>();
        for (int i = 0; i < states.length; i++) {
            out.put(NAMES.get(i), status(NAMES.get(i), states[i], now));
        }
        return out;
    }

    static String address(int region) {
        return "127.0." + region + ".1";
    }
}
