package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each probe setting comes from the most specific level that sets it, and a problem names the key
 * of that level: the target's override, else the default (reported once, not per target).
 */
class ProbeSpecMergerTest {
    private static final String HEAD =
            """
            pharos:
              node: {name: vp1}
            """;

    private static String regions(String probe) {
        return """
              regions:
                europe:
                  load-balancer: {ipv4: 127.0.1.1}
                  backends:
                    - name: web1
                      address: 127.0.1.11
                      probe: %s
                    - {name: web2, address: 127.0.1.12}
            """
                .formatted(probe);
    }

    @Test
    void anOverrideWinsAndEveryOtherSettingComesFromTheDefaults() {
        Topology t =
                ConfigFixtures.topology(
                        HEAD
                                + "  probe: {interval: 2s, path: /health, rise: 5}\n"
                                + regions("{path: /ready, fall: 4, type: https, sni: cdn}"));
        ProbeSpec web1 = t.targetsById().get("europe/backend/web1").probe();
        ProbeSpec web2 = t.targetsById().get("europe/backend/web2").probe();
        assertThat(web1.path()).isEqualTo("/ready");
        assertThat(web1.type()).isEqualTo(ProbeType.HTTPS);
        assertThat(web1.fall()).isEqualTo(4);
        assertThat(web1.rise()).isEqualTo(5);
        assertThat(web1.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(web1.sni()).contains("cdn");
        assertThat(web1.host()).isEqualTo("127.0.1.11");
        assertThat(web2.path()).isEqualTo("/health");
        assertThat(web2.type()).isEqualTo(ProbeType.HTTP);
        assertThat(web2.fall()).isEqualTo(2);
        assertThat(web2.sni()).isEmpty();
    }

    @Test
    void aBadDefaultIsReportedOnceOnItsOwnKey() {
        assertThat(
                        ConfigValidationTest.problems(
                                HEAD + "  probe: {method: \"G T\"}\n" + regions("{path: /x}")))
                .containsExactly("pharos.probe.method: 'G T' is not an HTTP method");
    }

    @Test
    void aProblemCausedByAnOverrideNamesTheOverride() {
        List<String> problems =
                ConfigValidationTest.problems(
                        HEAD
                                + regions(
                                        "{interval: 500ms, expect-status: \"99\", send: hello,"
                                                + " body-regex: \"(\"}"));
        assertThat(problems)
                .containsExactly(
                        "pharos.regions.europe.backends[0].probe.interval: timeout 700ms must be"
                                + " shorter than the interval 500ms",
                        "pharos.regions.europe.backends[0].probe.expect-status: '99' is not a"
                                + " list of statuses or ranges within 100-599",
                        "pharos.regions.europe.backends[0].probe.body-regex: not a valid regular"
                                + " expression: Unclosed group",
                        "pharos.regions.europe.backends[0].probe.send: only tcp probes send or"
                                + " expect raw bytes");
    }
}
