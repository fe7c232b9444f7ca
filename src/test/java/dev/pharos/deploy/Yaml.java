package dev.pharos.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/** Reads deployment YAML (several documents per file) into plain maps and lists. */
final class Yaml {
    /** The environment variables Pharos reads its secrets from (docs/CONFIG.md). */
    static final List<String> SECRET_ENV =
            List.of(
                    "PHAROS_API_ADMIN_TOKEN",
                    "PHAROS_API_PEER_TOKEN",
                    "PHAROS_API_ALERT_TOKEN",
                    "PHAROS_API_READ_TOKEN",
                    "PHAROS_DNS_RFC2136_TSIG_SECRET",
                    "PHAROS_DNS_LINODE_TOKEN",
                    "PHAROS_LOADBALANCER_LINODE_TOKEN");

    private Yaml() {}

    static List<Map<String, Object>> documents(Path file) {
        try {
            return documents(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : new org.yaml.snakeyaml.Yaml(new LoaderOptions()).loadAll(text)) {
            if (doc != null) {
                out.add((Map<String, Object>) doc);
            }
        }
        return out;
    }

    /** The value at a dotted path of map keys, e.g. {@code "spec.template.spec"}. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object root, String path) {
        Object o = root;
        for (String key : path.split("\\.")) {
            if (!(o instanceof Map<?, ?> m) || !m.containsKey(key)) {
                throw new AssertionError("no " + path + " (missing '" + key + "')");
            }
            o = m.get(key);
        }
        return (T) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object root, String path) {
        return (List<Map<String, Object>>) at(root, path);
    }
}
