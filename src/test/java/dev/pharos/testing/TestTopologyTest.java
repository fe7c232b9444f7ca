package dev.pharos.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.ConfigProblem;
import dev.pharos.config.DnsSettings;
import dev.pharos.config.InvalidConfigException;
import dev.pharos.config.Region;
import dev.pharos.config.Target;
import dev.pharos.config.Topology;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

/** The property map, the YAML file and the Topology of one description say the same thing. */
class TestTopologyTest {
    private static TestTopology everything() {
        return TestTopology.node("vp1")
                .dataDir(Path.of("/tmp/pharos-test-topology"))
                .sourceAddress("127.0.9.1")
                .http("127.0.9.1", 8081)
                .timings(Timings.FAST)
                .peer("vp2", "http://127.0.9.2:8080")
                .peer("vp3", "http://127.0.9.3:8080")
                .set("pharos.api.peer-token", "t")
                .region(
                        "europe",
                        r ->
                                r.ipv4("127.0.1.1", 8080)
                                        .ipv6("::1")
                                        .backend("web1", "127.0.1.11")
                                        .backend("web2", "127.0.1.12", 8082)
                                        .relay("127.0.1.21", 81)
                                        .relayControl("runtime-api", "unix:/run/relay.sock")
                                        .set("min-backends", 2))
                .region("apac", "127.0.2.1")
                .region("americas", "127.0.3.1")
                .fallbacksInTurn()
                .roundRobin("cdn.example.test", 30)
                .alias("europe.example.test", "europe")
                .zone("example.test")
                .embeddedDns("127.0.70.1", 5353)
                .set("pharos.dns.embedded.glue.\"ns1.example.test\"", List.of("127.0.70.1"))
                .set("pharos.dns.embedded.nameservers", List.of("ns1.example.test"))
                .set("pharos.dns.embedded.static-records", List.of("@ 300 IN TXT \"v=spf1 -all\""))
                .policy("hold-down", Duration.ofSeconds(2))
                .receiver("ops", "http://127.0.9.9/hook", "hook-secret", "quorum_lost")
                .set("quarkus.log.category.\"dev.pharos\".level", "DEBUG");
    }

    @Test
    void theYamlReadsBackAsTheSameProperties() {
        TestTopology t = everything();
        Map<String, String> fromYaml =
                new HashMap<>(new YamlConfigSource("test.yaml", t.yaml(), 250).getProperties());
        // SmallRye also gives a list of scalars as one comma-joined key beside its entries
        fromYaml.keySet().removeIf(k -> fromYaml.containsKey(k + "[0]"));
        assertThat(fromYaml).isEqualTo(t.properties());
        assertThat(t.properties())
                .containsEntry("pharos.regions.europe.backends[1].port", "8082")
                .containsEntry("pharos.regions.americas.fallback[1]", "apac")
                .containsEntry("pharos.dns.embedded.glue.\"ns1.example.test\"[0]", "127.0.70.1")
                .containsEntry("quarkus.log.category.\"dev.pharos\".level", "DEBUG")
                .containsEntry("pharos.probe.interval", "200ms");
    }

    @Test
    void theTopologyIsTheOneBothTheMapAndTheFileGive() {
        TestTopology t = everything();
        Topology fromMap = ConfigFixtures.topology("", t.properties(), Map.of(), name -> false);
        Topology fromFile = t.topology();
        assertThat(fromFile)
                .usingRecursiveComparison()
                .withEqualsForType((a, b) -> a.pattern().equals(b.pattern()), Pattern.class)
                .isEqualTo(fromMap);

        assertThat(fromFile.nodeName()).isEqualTo("vp1");
        assertThat(fromFile.peers()).extracting(p -> p.name()).containsExactly("vp2", "vp3");
        assertThat(fromFile.quorum().staleAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(fromFile.regions().keySet())
                .containsExactlyInAnyOrder("europe", "apac", "americas");
        Region europe = fromFile.region("europe").orElseThrow();
        assertThat(europe.targets())
                .extracting(Target::id)
                .containsExactly(
                        "europe/lb/ipv4",
                        "europe/lb/ipv6",
                        "europe/backend/web1",
                        "europe/backend/web2",
                        "europe/relay");
        assertThat(europe.loadBalancerV4().orElseThrow().port()).isEqualTo(8080);
        assertThat(europe.minBackends()).isEqualTo(2);
        assertThat(europe.fallback()).containsExactly("apac", "americas");
        assertThat(fromFile.region("apac").orElseThrow().fallback())
                .containsExactly("americas", "europe");
        assertThat(fromFile.records())
                .extracting(r -> r.name() + " " + r.ttl())
                .containsExactly("cdn.example.test 30", "europe.example.test 60");
        assertThat(fromFile.dns().provider()).isEqualTo(DnsSettings.Provider.EMBEDDED);
        assertThat(fromFile.policy().holdDown()).isEqualTo(Duration.ofSeconds(2));
        assertThat(fromFile.alerts().receivers()).extracting(r -> r.name()).containsExactly("ops");
    }

    @Test
    void secretsComeFromTheEnvironmentAndStayOutOfTheFile() {
        TestTopology t =
                TestTopology.node("vp1")
                        .region("europe", "127.0.1.1")
                        .receiver("ops", "http://127.0.9.9/hook", "${HOOK_SECRET}")
                        .env("HOOK_SECRET", "hook-secret-not-in-the-file")
                        .env("PHAROS_API_ADMIN_TOKEN", "admin-token-not-in-the-file");
        assertThat(t.yaml()).doesNotContain("not-in-the-file");
        Topology topology = t.topology();
        assertThat(topology.alerts().receivers().get(0).secret().orElseThrow().value())
                .isEqualTo("hook-secret-not-in-the-file");
        assertThat(topology.api().admin().tokens()).containsExactly("admin-token-not-in-the-file");
    }

    @Test
    void anInvalidDescriptionFailsWithTheConfigProblemWhicheverWayItIsTaken() {
        TestTopology t =
                TestTopology.node("vp1")
                        .region("europe", r -> r.ipv4("127.0.1.1").fallback("asia"))
                        .probe("interval", "1s")
                        .probe("timeout", "2s");
        for (ThrowingSupplier<?> way :
                List.<ThrowingSupplier<?>>of(t::properties, t::yaml, t::topology)) {
            InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, way::get);
            assertThat(e).isNotNull();
            assertThat(e.problems())
                    .extracting(ConfigProblem::key)
                    .contains("pharos.regions.europe.fallback[0]", "pharos.probe.timeout");
        }
    }

    @Test
    void aTlsConfigurationIsKnownWhenTheDescriptionHoldsIt() {
        TestTopology t =
                TestTopology.node("vp1")
                        .peer("vp2", "https://127.0.9.2:8443")
                        .set("pharos.api.peer-token", "t")
                        .region("europe", "127.0.1.1")
                        .quorum("tls-configuration-name", "peer");
        assertThat(catchThrowableOfType(InvalidConfigException.class, t::properties).problems())
                .extracting(ConfigProblem::key)
                .containsExactly("pharos.quorum.tls-configuration-name");
        t.set("quarkus.tls.peer.trust-store.pem.certs", "/tmp/ca.pem");
        assertThat(t.topology().quorum().tlsConfigurationName()).contains("peer");
    }
}
