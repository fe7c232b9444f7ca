package dev.pharos.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Loads YAML configuration the way Quarkus does, without starting Quarkus, and validates it into a
 * {@link Topology}. No Quarkus TLS configuration exists here: a {@code tls-configuration-name} is
 * unknown.
 */
public final class ConfigFixtures {
    private static final Predicate<String> NO_TLS_CONFIGURATIONS = name -> false;

    private ConfigFixtures() {}

    /** The mapped configuration, with {@code extra} properties over the file's. */
    static PharosConfig mapping(String yaml, Map<String, String> extra) {
        return load(
                new SmallRyeConfigBuilder()
                        .withSources(new YamlConfigSource("test.yaml", yaml, 250))
                        .withSources(new PropertiesConfigSource(extra, "extra", 300)));
    }

    /** As Quarkus loads it with these environment variables set. */
    static PharosConfig mappingWithEnv(String yaml, Map<String, String> env) {
        return load(
                new SmallRyeConfigBuilder()
                        .withSources(new YamlConfigSource("test.yaml", yaml, 250))
                        .withSources(new EnvConfigSource(env, 300))
                        .addDefaultInterceptors());
    }

    private static PharosConfig load(SmallRyeConfigBuilder builder) {
        builder.withConverter(Duration.class, 100, new DurationConverter());
        PharosConfig.MAPPINGS.forEach(builder::withMapping);
        SmallRyeConfig c = builder.build();
        return PharosConfig.load(c::getConfigMapping);
    }

    static Topology build(PharosConfig config) {
        return TopologyBuilder.build(config, NO_TLS_CONFIGURATIONS);
    }

    public static Topology topology(String yaml) {
        return topology(yaml, Map.of());
    }

    /** With {@code extra} properties over the file's ("pharos.dns.embedded.port" -> "0"). */
    public static Topology topology(String yaml, Map<String, String> extra) {
        return build(mapping(yaml, extra));
    }

    /** As Quarkus builds it with these environment variables set. */
    public static Topology topologyWithEnv(String yaml, Map<String, String> env) {
        return build(mappingWithEnv(yaml, env));
    }

    /**
     * As start-up builds it from a YAML file, or from properties as a Quarkus test resource gives
     * them, with these environment variables and Quarkus TLS configurations.
     */
    public static Topology topology(
            String yaml,
            Map<String, String> properties,
            Map<String, String> env,
            Predicate<String> tlsConfigurations) {
        SmallRyeConfigBuilder b = new SmallRyeConfigBuilder();
        if (!yaml.isEmpty()) {
            b.withSources(new YamlConfigSource("test.yaml", yaml, 250));
        }
        b.withSources(new PropertiesConfigSource(properties, "properties", 260))
                .withSources(new EnvConfigSource(env, 300))
                .addDefaultInterceptors()
                .withConverter(Duration.class, 100, new DurationConverter());
        PharosConfig.MAPPINGS.forEach(b::withMapping);
        SmallRyeConfig c = b.build();
        return TopologyBuilder.build(
                PharosConfig.load(c::getConfigMapping), tlsConfigurations, peerTls(c));
    }

    /** What Quarkus's HTTP server and TLS registry would hold, read from the quarkus.* keys. */
    private static PeerTlsFacts peerTls(SmallRyeConfig c) {
        Optional<String> server =
                c.getOptionalValue("quarkus.http.tls-configuration-name", String.class);
        Optional<String> client =
                c.getOptionalValue("pharos.quorum.tls-configuration-name", String.class);
        String serverTls = server.map(n -> "quarkus.tls." + n).orElse("quarkus.tls");
        String clientTls = client.map(n -> "quarkus.tls." + n).orElse("quarkus.tls");
        List<String> keys = new ArrayList<>();
        c.getPropertyNames().forEach(keys::add);
        return new PeerTlsFacts(
                // fixed at build time: application.yaml ships "request"
                c.getOptionalValue("quarkus.http.ssl.client-auth", String.class).orElse("request"),
                serverTls,
                keys.stream().anyMatch(k -> k.startsWith(serverTls + ".trust-store.")),
                clientTls,
                keys.stream().anyMatch(k -> k.startsWith(clientTls + ".key-store.")));
    }

    public static Topology topology(Path file) {
        try {
            return topology(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
