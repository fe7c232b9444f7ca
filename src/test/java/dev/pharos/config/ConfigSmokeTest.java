package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigSmokeTest {
    @Test
    void minimalConfigBuildsTargets() {
        Topology t =
                ConfigFixtures.topology(
                        """
                        pharos:
                          node:
                            name: vp1
                          regions:
                            europe:
                              load-balancer:
                                ipv4: 127.0.1.1
                              backends:
                                - name: web1
                                  address: 127.0.1.11
                                  port: 8080
                        """);
        assertThat(t.targetsById()).containsOnlyKeys("europe/lb/ipv4", "europe/backend/web1");
        assertThat(t.peers()).isEmpty();
        assertThat(t.quorum().size()).isEqualTo(1);
    }
}
