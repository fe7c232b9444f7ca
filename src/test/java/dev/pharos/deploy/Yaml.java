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

    /**
     * A pharos.yaml with its optional mutual TLS blocks switched on, as an operator would: in every
     * run of comment lines that mentions "mutual TLS" (up to the first prose line after its keys),
     * the lines that are YAML keys lose their {@code mark} ("#" or "# "); the peers lose their
     * token digests and move to https on 8443.
     */
    static String withMutualTls(String config, String mark) {
        StringBuilder out = new StringBuilder();
        boolean block = false;
        boolean keys = false;
        for (String line : config.split("\n", -1)) {
            String t = line.strip();
            if (!t.startsWith("#")) {
                block = false;
            } else if (t.contains("mutual TLS")) {
                block = true;
                keys = false;
            } else if (block) {
                int i = line.indexOf(mark);
                String rest = line.substring(i + mark.length());
                if (rest.matches(" *[a-z][a-z-]*:( .*)?")) {
                    line = line.substring(0, i) + rest;
                    keys = true;
                } else if (keys) {
                    block = false; // prose after the keys: another comment
                }
            }
            out.append(line).append('\n');
        }
        String on = out.toString();
        if (!on.contains("peer-mtls: true")) {
            throw new AssertionError("no commented mutual TLS keys to switch on");
        }
        return on.replaceAll(",\\s*token-sha256: [0-9a-f]{64}", "")
                .replaceAll("\"http://([0-9.]+):8080\"", "\"https://$1:8443\"");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object root, String path) {
        return (List<Map<String, Object>>) at(root, path);
    }
}
