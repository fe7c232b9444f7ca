package dev.pharos.testing;

import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;

/** Targets and topologies for tests, built through the real config path. */
public final class Targets {
    private Targets() {}

    /** A region "r" whose load balancer is {@code address}:80 with the given probe settings. */
    public static Target http(String address, String probeYaml) {
        Topology t =
                ConfigFixtures.topology(
                        """
                        pharos:
                          node:
                            name: test
                          probe:
                        %s
                          regions:
                            r:
                              load-balancer:
                                ipv4: %s
                        """
                                .formatted(indent(probeYaml, 4), address));
        return t.targets().get(0);
    }

    public static String indent(String text, int spaces) {
        String pad = " ".repeat(spaces);
        StringBuilder out = new StringBuilder();
        for (String line : text.strip().split("\n")) {
            out.append(pad).append(line).append('\n');
        }
        return out.toString().stripTrailing();
    }
}
