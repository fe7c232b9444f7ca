package dev.pharos.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Loads YAML configuration the way Quarkus does, without starting Quarkus. */
public final class ConfigFixtures {
    private ConfigFixtures() {}

    public static PharosConfig mapping(String yaml, Map<String, String> extra) {
        SmallRyeConfig config =
                new SmallRyeConfigBuilder()
                        .withSources(new YamlConfigSource("test.yaml", yaml, 250))
                        .withSources(
                                new io.smallrye.config.PropertiesConfigSource(extra, "extra", 300))
                        .withConverter(Duration.class, 100, new DurationConverter())
                        .withMapping(PharosConfig.class)
                        .build();
        return config.getConfigMapping(PharosConfig.class);
    }

    /** As Quarkus loads it with these environment variables set. */
    public static PharosConfig mappingWithEnv(String yaml, Map<String, String> env) {
        SmallRyeConfig config =
                new SmallRyeConfigBuilder()
                        .withSources(new YamlConfigSource("test.yaml", yaml, 250))
                        .withSources(new io.smallrye.config.EnvConfigSource(env, 300))
                        .addDefaultInterceptors()
                        .withConverter(Duration.class, 100, new DurationConverter())
                        .withMapping(PharosConfig.class)
                        .build();
        return config.getConfigMapping(PharosConfig.class);
    }

    public static Topology topology(String yaml) {
        return TopologyBuilder.build(mapping(yaml, Map.of()));
    }

    public static Topology topology(Path file) {
        try {
            return topology(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
