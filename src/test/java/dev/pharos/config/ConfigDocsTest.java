package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/CONFIG.md names every key of the configuration mappings. */
class ConfigDocsTest {
    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void everyConfigurationKeyIsDocumented() throws Exception {
        assertThat(undocumented(docs())).as("keys missing from docs/CONFIG.md").isEmpty();
    }

    @Test
    void aKeyMissingFromTheDocsIsFound() throws Exception {
        String withoutOne = docs().replace("warmup-rounds", "");
        assertThat(undocumented(withoutOne)).containsExactly("pharos.quorum.warmup-rounds");
    }

    @Test
    void everyMappingIsChecked() throws IOException {
        List<String> declared = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(f).contains("@ConfigMapping(")) {
                    String name = MAIN.relativize(f).toString();
                    declared.add(name.replace(".java", "").replace('/', '.'));
                }
            }
        }
        assertThat(PharosConfig.MAPPINGS)
                .extracting(Class::getName)
                .containsExactlyInAnyOrderElementsOf(declared);
        // with no docs at all, every mapping contributes keys
        List<String> all = undocumented("");
        for (Class<?> mapping : PharosConfig.MAPPINGS) {
            assertThat(all)
                    .as(mapping.getSimpleName())
                    .anyMatch(k -> k.startsWith(prefix(mapping) + "."));
        }
        assertThat(all).contains("pharos.peers.url", "pharos.regions.relay.control.node-id");
    }

    private static String docs() throws IOException {
        return Files.readString(Path.of("docs/CONFIG.md"));
    }

    private static String prefix(Class<?> mapping) {
        return mapping.getAnnotation(ConfigMapping.class).prefix();
    }

    private static List<String> undocumented(String docs) {
        List<String> missing = new ArrayList<>();
        for (Class<?> mapping : PharosConfig.MAPPINGS) {
            walk(mapping, prefix(mapping), missing, docs);
        }
        return missing;
    }

    private static void walk(Class<?> type, String prefix, List<String> missing, String docs) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.isDefault() || m.getParameterCount() > 0 || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName renamed = m.getAnnotation(WithName.class);
            String key = renamed != null ? renamed.value() : kebab(m.getName());
            Class<?> group = group(m.getGenericReturnType());
            // the overrides repeat the documented probe defaults under a target's probe: key
            if (group != null
                    && group.getPackageName().equals("dev.pharos.config")
                    && group != ProbeOverrides.class) {
                walk(group, prefix + "." + key, missing, docs);
            } else if (!docs.contains("`" + key + "`")
                    && !docs.contains("." + key + "`")
                    && !docs.contains("`" + key + ".")
                    && !docs.contains(key + "`")) {
                missing.add(prefix + "." + key);
            }
        }
    }

    /** The mapping group a method returns (directly, or inside Optional, List or Map). */
    private static Class<?> group(Type t) {
        if (t instanceof Class<?> c) {
            return c.isInterface() ? c : null;
        }
        if (t instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            return group(args[args.length - 1]);
        }
        return null;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
