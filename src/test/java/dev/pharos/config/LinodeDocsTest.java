package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The complete Linode configuration in docs/LINODE.md is a valid configuration. */
class LinodeDocsTest {

    @Test
    void theDocumentedLinodeConfigurationIsValid() throws Exception {
        String doc = Files.readString(Path.of("docs/LINODE.md"));
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = doc.substring(start, doc.indexOf("```", start));
        // the secrets, as the environment would give them
        Topology t =
                ConfigFixtures.topology(
                        yaml,
                        Map.of(
                                "pharos.dns.linode.token", "from-the-environment",
                                "pharos.api.peer-token", "from-the-environment"));
        assertThat(t.dns().provider()).isEqualTo(DnsSettings.Provider.LINODE);
        assertThat(t.loadBalancer().provider()).isEqualTo(LoadBalancerSettings.Provider.LINODE);
        assertThat(t.loadBalancer().linodeToken().map(Secret::value))
                .contains("from-the-environment");
        assertThat(t.regions()).containsOnlyKeys("europe", "americas", "apac");
        assertThat(t.regions().get("europe").relaySettings().orElseThrow().nodebalancerId())
                .contains(123401L);
        assertThat(t.records()).hasSize(4);
    }
}
