package dev.pharos.decision;

import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.Family;
import dev.pharos.config.Topology;
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
     * n IPv4 regions r1..rn, each with a relay, falling back to the next regions in turn; a
     * round-robin record over all and an alias per region.
     */
    static Topology regions(int n, String policyYaml) {
        StringBuilder y = new StringBuilder("pharos:\n  node: {name: t}\n  regions:\n");
        for (int i = 1; i <= n; i++) {
            y.append("    r").append(i).append(":\n");
            y.append("      load-balancer: {ipv4: 127.0.").append(i).append(".1}\n");
            y.append("      backends:\n        - {name: web1, address: 127.0.")
                    .append(i)
                    .append(".11}\n");
            y.append("      relay: {address: 127.0.").append(i).append(".21}\n");
            y.append("      fallback: [");
            for (int j = 1; j < n; j++) {
                y.append(j > 1 ? ", " : "").append("r").append((i - 1 + j) % n + 1);
            }
            y.append("]\n");
        }
        y.append("  records:\n    - {name: cdn.example.test, type: round-robin, ttl: 60}\n");
        for (int i = 1; i <= n; i++) {
            y.append("    - {name: r")
                    .append(i)
                    .append(".example.test, type: alias, region: r")
                    .append(i)
                    .append(", ttl: 60}\n");
        }
        y.append("  dns: {zone: example.test}\n");
        if (policyYaml != null) {
            y.append("  policy: ").append(policyYaml).append("\n");
        }
        return ConfigFixtures.topology(y.toString());
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
