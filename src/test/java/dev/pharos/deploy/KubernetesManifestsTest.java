package dev.pharos.deploy;

import static dev.pharos.deploy.Yaml.at;
import static dev.pharos.deploy.Yaml.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pharos.config.ConfigFixtures;
import dev.pharos.config.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests in deploy/kubernetes, checked offline: the kinds, the probes on the
 * health endpoints, the volume on the data directory, the Secret's keys against the environment
 * variables Pharos reads, the Services against the container ports and the configuration they
 * carry, and that configuration itself.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("deploy/kubernetes");
    private static final Map<String, List<Map<String, Object>>> byKind = new HashMap<>();
    private static Map<String, Object> pod;
    private static Map<String, Object> container;

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Map<String, Object> doc : Yaml.documents(f)) {
                    byKind.computeIfAbsent((String) doc.get("kind"), k -> new ArrayList<>())
                            .add(doc);
                }
            }
        }
        pod = at(one("StatefulSet"), "spec.template.spec");
        container = list(pod, "containers").get(0);
    }

    private static Map<String, Object> one(String kind) {
        assertThat(byKind.get(kind)).as(kind).hasSize(1);
        return byKind.get(kind).get(0);
    }

    private static Map<String, Object> service(String name) {
        return byKind.get("Service").stream()
                .filter(s -> name.equals(at(s, "metadata.name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Service " + name));
    }

    private static int containerPort(String name) {
        return list(container, "ports").stream()
                .filter(p -> name.equals(p.get("name")))
                .map(p -> (Integer) p.get("containerPort"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port " + name));
    }

    @Test
    void oneVantagePointPerClusterWithItsOwnVolume() {
        Map<String, Object> sts = one("StatefulSet");
        assertThat((Integer) at(sts, "spec.replicas")).isEqualTo(1);
        assertThat((String) at(service(at(sts, "spec.serviceName")), "spec.clusterIP"))
                .isEqualTo("None");
        assertThat((String) at(list(sts, "spec.volumeClaimTemplates").get(0), "metadata.name"))
                .isEqualTo("data");
        assertThat(mountPath("data")).isEqualTo("/var/lib/pharos");
        assertThat(env("PHAROS_NODE_DATA_DIR")).isEqualTo("/var/lib/pharos");
        assertThat((String) at(config(), "pharos.node.data-dir")).isEqualTo("/var/lib/pharos");
    }

    @Test
    void probesAskTheHealthEndpointsOnTheManagementPort() {
        assertThat(containerPort("http")).isEqualTo(8080);
        // health is on the management interface, so that a busy API never fails liveness
        assertThat(containerPort("management")).isEqualTo(9000);
        assertThat(env("QUARKUS_MANAGEMENT_HOST")).isEqualTo("0.0.0.0");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat((Object) at(container, probe + ".httpGet.port"))
                    .as(probe)
                    .isEqualTo("management");
        }
        assertThat((String) at(container, "startupProbe.httpGet.path")).isEqualTo("/q/health/live");
        assertThat((String) at(container, "livenessProbe.httpGet.path"))
                .isEqualTo("/q/health/live");
        assertThat((String) at(container, "readinessProbe.httpGet.path"))
                .isEqualTo("/q/health/ready");
    }

    @Test
    void theConfigIsMountedWhereTheImageLooksAndIsAValidPharosConfig() {
        assertThat(mountPath("config")).isEqualTo("/etc/pharos");
        assertThat(env("QUARKUS_CONFIG_LOCATIONS")).isEqualTo("/etc/pharos/pharos.yaml");
        assertThat(env("QUARKUS_HTTP_HOST")).isEqualTo("0.0.0.0");
        assertThat((String) at(volume("config"), "configMap.name"))
                .isEqualTo(at(one("ConfigMap"), "metadata.name"));
        Topology t =
                ConfigFixtures.topology(pharosYamlText(), Map.of("pharos.api.peer-token", "t"));
        assertThat(t.peers()).hasSize(2);
        assertThat(t.quorum().size()).isEqualTo(2);
    }

    @Test
    void theCommentedMutualTlsKeysMakeAValidConfigWithoutPeerTokens() throws IOException {
        String config = Yaml.withMutualTls(pharosYamlText(), "# ");
        Map<String, Object> tls = at(Yaml.documents(config).get(0), "quarkus.tls");
        Topology t = ConfigFixtures.topology(config, Map.of(), Map.of(), tls::containsKey);
        assertThat(t.quorum().peerMtls()).isTrue();
        assertThat(t.peers()).hasSize(2).allSatisfy(p -> assertThat(p.tokenSha256()).isEmpty());
        // the certificate files are where the commented Secret mount would put them
        assertThat((String) at(tls, "peer.key-store.pem.a.cert")).startsWith("/etc/pharos-tls/");
        assertThat((String) at(tls, "peer.trust-store.pem.certs")).startsWith("/etc/pharos-tls/");
        assertThat(Files.readString(DIR.resolve("statefulset.yaml")))
                .contains("#   mountPath: /etc/pharos-tls\n")
                .contains("#     secretName: pharos-peer-tls\n");
    }

    @Test
    void theSecretHoldsOnlyVariablesPharosReadsAndReachesTheContainer() {
        Map<String, Object> secret = one("Secret");
        Map<String, Object> data = at(secret, "stringData");
        assertThat(data.keySet()).isNotEmpty().isSubsetOf(Yaml.SECRET_ENV);
        assertThat(data).containsKey("PHAROS_API_PEER_TOKEN");
        assertThat((String) at(list(container, "envFrom").get(0), "secretRef.name"))
                .isEqualTo(at(secret, "metadata.name"));
    }

    @Test
    void theDnsServicePublishesPort53OverUdpAndTcpToTheConfiguredPort() {
        Map<String, Object> dns = service("pharos-dns");
        List<Map<String, Object>> ports = list(dns, "spec.ports");
        assertThat(ports)
                .extracting(p -> p.get("protocol"))
                .containsExactlyInAnyOrder("UDP", "TCP");
        assertThat(ports).allSatisfy(p -> assertThat(p.get("port")).isEqualTo(53));
        Integer configured = at(config(), "pharos.dns.embedded.port");
        for (Map<String, Object> p : ports) {
            assertThat(containerPort((String) p.get("targetPort"))).isEqualTo(configured);
        }
        assertThat(Yaml.<List<String>>at(config(), "pharos.dns.embedded.listen"))
                .containsExactly("0.0.0.0");
    }

    @Test
    void servicesSelectThePodAndPublishItEvenWhenNotReady() {
        Map<String, Object> podLabels = at(one("StatefulSet"), "spec.template.metadata.labels");
        for (Map<String, Object> s : byKind.get("Service")) {
            Map<String, Object> selector = at(s, "spec.selector");
            assertThat(podLabels).containsAllEntriesOf(selector);
            // peers must reach a pod that is not ready to form the quorum that makes it ready
            assertThat((Boolean) at(s, "spec.publishNotReadyAddresses")).isTrue();
        }
        assertThat((Integer) at(list(service("pharos-http"), "spec.ports").get(0), "port"))
                .isEqualTo(8080);
    }

    @Test
    void theContainerRunsUnprivilegedOnAReadOnlyRoot() {
        assertThat((Boolean) at(pod, "securityContext.runAsNonRoot")).isTrue();
        assertThat((Integer) at(pod, "securityContext.runAsUser")).isNotZero();
        assertThat((Boolean) at(container, "securityContext.readOnlyRootFilesystem")).isTrue();
        assertThat((Boolean) at(container, "securityContext.allowPrivilegeEscalation")).isFalse();
        assertThat(Yaml.<List<String>>at(container, "securityContext.capabilities.drop"))
                .containsExactly("ALL");
        assertThat(mountPath("tmp")).isEqualTo("/tmp");
        assertThat((Object) at(container, "resources.limits.memory")).isNotNull();
        assertThat((Object) at(container, "resources.requests.cpu")).isNotNull();
    }

    @Test
    void theKustomizationListsEveryManifestButTheExampleSecret() throws IOException {
        List<String> resources = at(one("Kustomization"), "resources");
        try (Stream<Path> files = Files.list(DIR)) {
            List<String> manifests =
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".yaml"))
                            .filter(n -> !n.equals("kustomization.yaml"))
                            .filter(n -> !n.contains("example"))
                            .toList();
            assertThat(resources).containsExactlyInAnyOrderElementsOf(manifests);
        }
    }

    private static String mountPath(String volume) {
        return list(container, "volumeMounts").stream()
                .filter(m -> volume.equals(m.get("name")))
                .map(m -> (String) m.get("mountPath"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume mount " + volume));
    }

    private static Map<String, Object> volume(String name) {
        return list(pod, "volumes").stream()
                .filter(v -> name.equals(v.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static String env(String name) {
        return list(container, "env").stream()
                .filter(e -> name.equals(e.get("name")))
                .map(e -> (String) e.get("value"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static String pharosYamlText() {
        Map<String, Object> data = at(one("ConfigMap"), "data");
        return (String) data.get("pharos.yaml");
    }

    private static Map<String, Object> config() {
        return Yaml.documents(pharosYamlText()).get(0);
    }
}
