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

    /**
     * n dual-stack regions r1..rn like {@link #regions}, each load balancer with an IPv6 address
     * too. The IPv6 addresses (2001:db8::n, the documentation prefix) are data only: the decision
     * tests are pure and never contact them.
     */
    static TestTopology dualStack(int n) {
        TestTopology t = TestTopology.node("t");
        for (int i = 1; i <= n; i++) {
            String net = "127.0." + i + ".";
            String v6 = ipv6(i);
            t.region(
                    "r" + i,
                    r -> r.ipv4(net + "1").ipv6(v6).backend("web1", net + "11").relay(net + "21"));
        }
        t.fallbacksInTurn().roundRobin("cdn.example.test", 60);
        for (int i = 1; i <= n; i++) {
            t.alias("r" + i + ".example.test", "r" + i, 60);
        }
        return t.zone("example.test");
    }

    /** Region i's IPv6 load balancer in {@link #dualStack}. */
    static String ipv6(int region) {
        return "2001:db8::" + region;
    }

    /** A region whose families are in the given states; the region takes the worst. */
    static RegionStatus status(String region, Map<Family, RegionState> states, Instant since) {
        Map<Family, FamilyStatus> f = new EnumMap<>(Family.class);
        RegionState worst = RegionState.HEALTHY;
        for (Map.Entry<Family, RegionState> e : states.entrySet()) {
            f.put(
                    e.getKey(),
                    new FamilyStatus(e.getKey(), e.getValue(), e.getValue().name().toLowerCase()));
            if (e.getValue().ordinal() > worst.ordinal()) {
                worst = e.getValue();
            }
        }
        return new RegionStatus(region, worst, f, 0, 1, worst.name().toLowerCase(), since);
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
