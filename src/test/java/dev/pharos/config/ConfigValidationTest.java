package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.pharos.PharosMainProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid configuration in src/test/resources/config/invalid stops start-up with exactly the
 * messages on its "# expect:" lines, each naming the key.
 */
class ConfigValidationTest {
    private static final Path INVALID = Path.of("src/test/resources/config/invalid");

    static Stream<Path> invalidFixtures() throws IOException {
        try (Stream<Path> files = Files.list(INVALID)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void thereAreAtLeastFifteenInvalidFixtures() throws IOException {
        assertThat(invalidFixtures().count()).isGreaterThanOrEqualTo(15);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFixtures")
    void invalidConfigIsRejectedWithAMessageNamingTheKey(Path fixture) throws IOException {
        String yaml = Files.readString(fixture);
        List<String> expected = new ArrayList<>();
        for (String line : yaml.split("\n")) {
            if (line.startsWith("# expect: ")) {
                expected.add(line.substring("# expect: ".length()));
            }
        }
        assertThat(expected).as("fixture has # expect: lines").isNotEmpty();
        List<String> got = problems(yaml);
        assertThat(got).containsExactlyElementsOf(expected);
    }

    @Test
    void theExampleConfigAndTheValidBaseAreValid() {
        assertThatCode(() -> ConfigFixtures.topology(Path.of("config/example.yaml")))
                .doesNotThrowAnyException();
        Topology t = ConfigFixtures.topology(Path.of("src/test/resources/config/valid-base.yaml"));
        assertThat(t.targetsById())
                .containsOnlyKeys(
                        "apac/lb/ipv4", "apac/lb/ipv6", "europe/lb/ipv4", "europe/backend/web1");
        assertThat(t.records())
                .extracting(ManagedRecord::name)
                .containsExactly("cdn.example.test", "europe.example.test");
        assertThat(t.records().get(0).regions()).containsExactly("apac", "europe");
    }

    @Test
    void loadBalancerProbesAcceptAnyAnswerWhenTheRegionListsBackends() {
        Topology t = ConfigFixtures.topology(Path.of("src/test/resources/config/valid-base.yaml"));
        assertThat(t.targetsById().get("europe/lb/ipv4").probe().expectStatus().accepts(503))
                .isTrue();
        assertThat(t.targetsById().get("apac/lb/ipv4").probe().expectStatus().accepts(503))
                .isFalse();
        assertThat(t.targetsById().get("europe/backend/web1").probe().expectStatus().accepts(503))
                .isFalse();
    }

    @Test
    void secretsComeFromTheEnvironmentStyleProperties() {
        String yaml =
                """
                pharos:
                  node: {name: vp1}
                  peers:
                    - {name: vp2, url: "http://127.0.9.2:8080", token-sha256: bb158dace1a1606db3d28c30d4cd6bbf9ce33e42ce632c97358fb0869350f6f2}
                  regions:
                    europe:
                      load-balancer: {ipv4: 127.0.1.1}
                """;
        Topology t = ConfigFixtures.topology(yaml, Map.of("pharos.api.peer-token", "s3cret"));
        assertThat(t.peers()).hasSize(1);
        assertThat(t.api().peer().presented()).contains("s3cret");
    }

    @Test
    void aReceiverSecretComesFromItsIndexedEnvironmentVariableOrAnExpression() {
        String yaml =
                """
                pharos:
                  node: {name: vp1}
                  regions:
                    europe:
                      load-balancer: {ipv4: 127.0.1.1}
                  alerts:
                    receivers:
                      - {name: ops, url: "http://127.0.0.1:9000/hook"}
                      - {name: dev, url: "http://127.0.0.1:9001/hook", secret: "${DEV_SECRET}"}
                """;
        Topology t =
                ConfigFixtures.topologyWithEnv(
                        yaml,
                        Map.of(
                                "PHAROS_ALERTS_RECEIVERS_0__SECRET", "from-env",
                                "DEV_SECRET", "from-expression"));
        assertThat(t.alerts().receivers().get(0).secret().map(Secret::value)).contains("from-env");
        assertThat(t.alerts().receivers().get(1).secret().map(Secret::value))
                .contains("from-expression");
    }

    static List<String> problems(String yaml) {
        try {
            ConfigFixtures.topology(yaml);
            return List.of();
        } catch (RuntimeException e) {
            List<String> lines = PharosMainProbe.configProblems(e);
            return lines.isEmpty() ? List.of("unexpected: " + e) : lines;
        }
    }
}
