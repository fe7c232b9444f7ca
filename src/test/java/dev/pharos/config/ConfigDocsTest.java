package dev.pharos.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/CONFIG.md names every key of the configuration mapping. */
class ConfigDocsTest {

    @Test
    void everyConfigurationKeyIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("docs/CONFIG.md"));
        List<String> missing = new ArrayList<>();
        walk(PharosConfig.class, "pharos", missing, docs);
        assertThat(missing).as("keys missing from docs/CONFIG.md").isEmpty();
    }

    private static void walk(Class<?> type, String prefix, List<String> missing, String docs) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.isDefault()
                    || m.getParameterCount() > 0
                    || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            io.smallrye.config.WithName renamed =
                    m.getAnnotation(io.smallrye.config.WithName.class);
            String key = renamed != null ? renamed.value() : kebab(m.getName());
            Class<?> group = group(m.getGenericReturnType());
            if (group != null
                    && group.getName().startsWith("dev.pharos.config.PharosConfig$")
                    && !group.getSimpleName().equals("ProbeOverrides")) {
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
