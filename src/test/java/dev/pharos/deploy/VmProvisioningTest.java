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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM artifacts agree with each other and with Pharos: the systemd unit, its environment file,
 * the cloud-init user data and the Linode StackScripts. deploy/check runs the tools (cloud-init
 * schema, systemd-analyze, shellcheck, haproxy -c, nft -c) and the StackScripts themselves.
 */
class VmProvisioningTest {
    private static final Path DEPLOY = Path.of("deploy");
    private static final Map<String, String> SAMPLE =
            Map.of(
                    "NODE_NAME", "vp-frankfurt",
                    "PUBLIC_IPV4", "203.0.113.11",
                    "ACTUATE", "false",
                    "PEERS",
                            "[{name: vp-newark, url: \"http://203.0.113.21:8080\", token-sha256: "
                                    + "5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269},"
                                    + " {name: vp-singapore, url: \"http://203.0.113.31:8080\","
                                    + " token-sha256:"
                                    + " 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae}]",
                    "PEER_TOKEN", "peer-token",
                    "ADMIN_TOKEN", "admin-token",
                    "ETCD_MEMBERS", "none",
                    "RELEASE_URL", "https://downloads.example.com/pharos-0.1.0.tar.gz",
                    "RELEASE_SHA256", "0".repeat(64));

    private static String read(String path) throws IOException {
        return Files.readString(DEPLOY.resolve(path));
    }

    /** What deploy/cloud-init/render does: placeholders in lines that are not comments. */
    private static String render(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            if (!line.strip().startsWith("#")) {
                for (Map.Entry<String, String> e : values.entrySet()) {
                    line = line.replace("@" + e.getKey() + "@", e.getValue());
                }
                assertThat(line).as("placeholder left").doesNotContainPattern("@[A-Z_0-9]+@");
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static Map<String, Map<String, Object>> writeFiles(String cloudConfig) {
        assertThat(cloudConfig).startsWith("#cloud-config\n");
        Map<String, Map<String, Object>> files = new LinkedHashMap<>();
        for (Map<String, Object> f : list(Yaml.documents(cloudConfig).get(0), "write_files")) {
            files.put((String) f.get("path"), f);
        }
        return files;
    }

    private static Map<String, String> envFile(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            assertThat(line).matches("[A-Z_]+=\\S.*");
            env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return env;
    }

    /** The body of a quoted here-document: cat >FILE <<'MARK' ... MARK. */
    private static String heredoc(String script, String mark) {
        Matcher m =
                Pattern.compile("<<'" + mark + "'\n(.*?\n)" + mark + "\n", Pattern.DOTALL)
                        .matcher(script);
        assertThat(m.find()).as("here-document " + mark).isTrue();
        return m.group(1);
    }

    @Test
    void theVantagePointUserDataWritesAValidConfigTheUnitAndPrivateTokens() throws IOException {
        Map<String, Map<String, Object>> files =
                writeFiles(render(read("cloud-init/vantage-point.yaml"), SAMPLE));
        assertThat(files)
                .containsKeys(
                        "/etc/pharos/pharos.yaml",
                        "/etc/pharos/pharos.env",
                        "/etc/systemd/system/pharos.service");

        Map<String, String> env =
                envFile((String) files.get("/etc/pharos/pharos.env").get("content"));
        assertThat(env.keySet()).isSubsetOf(Yaml.SECRET_ENV).contains("PHAROS_API_PEER_TOKEN");
        assertThat(files.get("/etc/pharos/pharos.env").get("permissions")).isEqualTo("0600");

        String config = (String) files.get("/etc/pharos/pharos.yaml").get("content");
        Topology t =
                ConfigFixtures.topology(
                        config, Map.of("pharos.api.peer-token", env.get("PHAROS_API_PEER_TOKEN")));
        assertThat(t.peers()).hasSize(2);
        Map<String, Object> pharos = at(Yaml.documents(config).get(0), "pharos");
        assertThat((String) at(pharos, "node.data-dir")).isEqualTo("/var/lib/pharos");
        assertThat((Integer) at(pharos, "dns.embedded.port")).isEqualTo(53);

        assertThat(files.get("/etc/systemd/system/pharos.service").get("content"))
                .isEqualTo(read("systemd/pharos.service"));
        assertThat(files.get("/usr/local/sbin/pharos-etcd-member").get("content"))
                .isEqualTo(read("etcd/etcd-member"));
        assertThat(files.get("/usr/local/sbin/pharos-etcd-member").get("permissions"))
                .isEqualTo("0755");
    }

    /**
     * The mutual TLS keys commented out in the vantage point's pharos.yaml, switched on with the
     * peers on https and without digests, make a valid configuration with no peer token at all.
     */
    @Test
    void theCommentedMutualTlsKeysMakeAValidConfigWithoutPeerTokens() throws IOException {
        Map<String, Map<String, Object>> files =
                writeFiles(render(read("cloud-init/vantage-point.yaml"), SAMPLE));
        String config =
                Yaml.withMutualTls(
                        (String) files.get("/etc/pharos/pharos.yaml").get("content"), "#");
        Map<String, Object> quarkus = at(Yaml.documents(config).get(0), "quarkus");
        assertThat((Integer) at(quarkus, "http.ssl-port")).isEqualTo(8443);
        Map<String, Object> tls = at(quarkus, "tls");
        Topology t =
                ConfigFixtures.topology(
                        config,
                        Map.of(),
                        Map.of("CREDENTIALS_DIRECTORY", "/run/credentials/pharos.service"),
                        tls::containsKey);
        assertThat(t.quorum().peerMtls()).isTrue();
        assertThat(t.peers())
                .hasSize(2)
                .allSatisfy(
                        p -> {
                            assertThat(p.url().getScheme()).isEqualTo("https");
                            assertThat(p.tokenSha256()).isEmpty();
                        });
        // the key is the one the unit hands over (LoadCredential=peer-key.pem:...)
        assertThat((String) at(tls, "peer.key-store.pem.a.key"))
                .isEqualTo("${CREDENTIALS_DIRECTORY}/peer-key.pem");
        assertThat(read("systemd/pharos.service"))
                .contains("#LoadCredential=peer-key.pem:/etc/pharos/");
    }

    /**
     * The optional etcd member (deploy/etcd/etcd-member, run for real with a root directory) adds
     * to pharos.env what makes the vantage point's configuration elect its writer on the members it
     * lists; with {@code none} it writes nothing.
     */
    @Test
    void theEtcdMemberMakesTheConfigurationElectTheWriterOnItsMembers(@TempDir Path root)
            throws Exception {
        String rendered = render(read("cloud-init/vantage-point.yaml"), SAMPLE);
        Map<String, Map<String, Object>> files = writeFiles(rendered);
        String config = (String) files.get("/etc/pharos/pharos.yaml").get("content");
        Path env = root.resolve("etc/pharos/pharos.env");
        Files.createDirectories(env.getParent());
        String tokens = (String) files.get("/etc/pharos/pharos.env").get("content");
        Files.writeString(env, tokens);

        assertThat(member(root, "vp-frankfurt", "none")).isZero();
        assertThat(Files.readString(env)).isEqualTo(tokens);
        assertThat(root.resolve("etc/default/etcd")).doesNotExist();

        String members =
                "vp-frankfurt=203.0.113.11,vp-newark=203.0.113.21,vp-singapore=203.0.113.31";
        assertThat(member(root, "vp-frankfurt", "vp-newark=203.0.113.21,vp-singapore=203.0.113.31"))
                .as("a member list without this vantage point")
                .isEqualTo(2);
        assertThat(member(root, "vp-frankfurt", members)).isZero();
        Map<String, String> vars = envFile(Files.readString(env));
        Topology t = ConfigFixtures.topologyWithEnv(config, vars);
        assertThat(t.coordination().provider().name()).isEqualTo("ETCD");
        assertThat(t.coordination().etcd().orElseThrow().endpoints())
                .extracting(Object::toString)
                .containsExactly(
                        "http://203.0.113.11:2379",
                        "http://203.0.113.21:2379",
                        "http://203.0.113.31:2379");
        Map<String, String> etcd = envFile(Files.readString(root.resolve("etc/default/etcd")));
        assertThat(etcd)
                .containsEntry("ETCD_NAME", "vp-frankfurt")
                .containsEntry("ETCD_LISTEN_CLIENT_URLS", "http://203.0.113.11:2379")
                .containsEntry("ETCD_LISTEN_PEER_URLS", "http://203.0.113.11:2380")
                .containsEntry("ETCD_HEARTBEAT_INTERVAL", "250")
                .containsEntry("ETCD_ELECTION_TIMEOUT", "2500");
        assertThat(String.join(",", etcd.values())).doesNotContain("127.0.0.1", "localhost");
    }

    private static int member(Path root, String node, String members) throws Exception {
        Process p =
                new ProcessBuilder(
                                "bash",
                                DEPLOY.resolve("etcd/etcd-member").toString(),
                                node,
                                members,
                                root.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void theRelayUserDataCarriesTheRelayTemplateAndLocksTheRuntimeApiDown() throws IOException {
        String raw = read("cloud-init/relay.yaml");
        Map<String, Map<String, Object>> files = writeFiles(raw);
        assertThat(files.get("/etc/haproxy/haproxy.cfg").get("content"))
                .isEqualTo(read("relay/haproxy.cfg.tmpl"));
        assertThat((String) files.get("/etc/nftables.d/pharos-relay.nft").get("content"))
                .contains("tcp dport @RUNTIME_PORT@ ip saddr @PHAROS_ADDRESS@ accept")
                .contains("tcp dport @RUNTIME_PORT@ counter drop");
        assertThat(Yaml.<List<String>>at(Yaml.documents(raw).get(0), "packages"))
                .contains("haproxy", "nftables");
    }

    @Test
    void theStackScriptsCarryTheSameUnitAndTemplateAndDeclareEveryField() throws IOException {
        String vp = read("linode/vantage-point.stackscript.sh");
        assertThat(heredoc(vp, "UNIT")).isEqualTo(read("systemd/pharos.service"));
        assertThat(heredoc(vp, "ETCDMEMBER")).isEqualTo(read("etcd/etcd-member"));
        String relay = read("linode/relay.stackscript.sh");
        assertThat(heredoc(relay, "TEMPLATE")).isEqualTo(read("relay/haproxy.cfg.tmpl"));

        for (String script : List.of(vp, relay)) {
            assertThat(script).startsWith("#!/bin/bash\n");
            List<String> fields = new ArrayList<>();
            Matcher udf =
                    Pattern.compile(
                                    "^# <UDF name=\"([a-z0-9_]+)\" label=\"[^\"]+\"[^>]*/>$",
                                    Pattern.MULTILINE)
                            .matcher(script);
            while (udf.find()) {
                fields.add(udf.group(1));
            }
            assertThat(fields).isNotEmpty();
            for (String f : fields) {
                // every field is read, under its own name or upper-cased
                assertThat(script).contains("${" + f + ":-");
                assertThat(script).contains(f.toUpperCase() + "=\"${" + f.toUpperCase() + ":-");
            }
        }
    }

    @Test
    void theSystemdUnitAndItsEnvironmentFileUseThePathsTheOthersWrite() throws IOException {
        String unit = read("systemd/pharos.service");
        assertThat(unit)
                .contains("StateDirectory=pharos\n")
                .contains("ConfigurationDirectory=pharos\n")
                .contains("EnvironmentFile=/etc/pharos/pharos.env\n")
                .contains("Environment=PHAROS_NODE_DATA_DIR=/var/lib/pharos\n")
                .contains("-Dquarkus.config.locations=/etc/pharos/pharos.yaml")
                .contains("-jar /opt/pharos/quarkus-run.jar")
                .contains("Restart=on-failure\n")
                .contains("NoNewPrivileges=yes\n")
                .contains("ProtectSystem=strict\n")
                .contains("AmbientCapabilities=CAP_NET_BIND_SERVICE\n");
        Map<String, String> example = envFile(read("systemd/pharos.env.example"));
        assertThat(example.keySet()).isSubsetOf(Yaml.SECRET_ENV).contains("PHAROS_API_PEER_TOKEN");
        // the commented-out ones are the rest of what Pharos reads
        for (String name : Yaml.SECRET_ENV) {
            assertThat(read("systemd/pharos.env.example")).contains(name + "=");
        }
    }
}
