package dev.pharos.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Configuration properties as the YAML file that SmallRye reads back into the same properties:
 * {@code a.b[0].c} becomes nested maps and sequences, a quoted segment ({@code "dev.pharos"}) a key
 * with dots. Every scalar is double-quoted, so no value changes type or meaning on the way.
 */
final class ConfigYaml {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Set<String> YAML_WORDS =
            Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

    private ConfigYaml() {}

    static String of(Map<String, String> properties) {
        Map<String, Object> root = new LinkedHashMap<>();
        properties.forEach((k, v) -> insert(root, path(k), v, k));
        StringBuilder out = new StringBuilder();
        map(root, 0, out);
        return out.toString();
    }

    /** The segments of a key: names (String) and list indices (Integer). */
    static List<Object> path(String key) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < key.length()) {
            int end;
            if (key.charAt(i) == '"') {
                end = key.indexOf('"', i + 1);
                require(end > i, key);
                out.add(key.substring(i + 1, end));
                end++;
            } else {
                end = i;
                while (end < key.length() && ".[".indexOf(key.charAt(end)) < 0) {
                    end++;
                }
                require(end > i, key);
                out.add(key.substring(i, end));
            }
            while (end < key.length() && key.charAt(end) == '[') {
                int close = key.indexOf(']', end);
                require(close > end + 1, key);
                out.add(Integer.parseInt(key.substring(end + 1, close)));
                end = close + 1;
            }
            require(end == key.length() || key.charAt(end) == '.', key);
            i = end + 1;
        }
        return out;
    }

    private static void require(boolean ok, String key) {
        if (!ok) {
            throw new IllegalArgumentException("not a configuration key: " + key);
        }
    }

    private static void insert(
            Map<String, Object> root, List<Object> path, String value, String k) {
        Object node = root;
        for (int i = 0; i < path.size(); i++) {
            boolean last = i == path.size() - 1;
            Object existing = get(node, path.get(i), k);
            if (existing == null) {
                existing =
                        last
                                ? value
                                : path.get(i + 1) instanceof Integer
                                        ? new ArrayList<>()
                                        : new LinkedHashMap<String, Object>();
                put(node, path.get(i), existing);
            } else {
                // a key given twice, or both a value and a section
                require(!last && !(existing instanceof String), k);
            }
            node = existing;
        }
    }

    @SuppressWarnings("unchecked")
    private static Object get(Object node, Object segment, String k) {
        if (segment instanceof Integer index) {
            require(node instanceof List, k);
            List<Object> list = (List<Object>) node;
            return index < list.size() ? list.get(index) : null;
        }
        require(node instanceof Map, k);
        return ((Map<String, Object>) node).get(segment);
    }

    @SuppressWarnings("unchecked")
    private static void put(Object node, Object segment, Object child) {
        if (segment instanceof Integer index) {
            List<Object> list = (List<Object>) node;
            while (list.size() <= index) {
                list.add(null);
            }
            list.set(index, child);
        } else {
            ((Map<String, Object>) node).put((String) segment, child);
        }
    }

    @SuppressWarnings("unchecked")
    private static void map(Map<String, Object> map, int indent, StringBuilder out) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            out.append(" ".repeat(indent)).append(key(e.getKey())).append(':');
            Object v = e.getValue();
            if (v instanceof Map) {
                out.append('\n');
                map((Map<String, Object>) v, indent + 2, out);
            } else if (v instanceof List) {
                out.append('\n');
                list((List<Object>) v, indent + 2, out);
            } else {
                out.append(' ').append(quote((String) v)).append('\n');
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void list(List<Object> list, int indent, StringBuilder out) {
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item == null) {
                throw new IllegalArgumentException("list without an entry [" + i + "]");
            }
            out.append(" ".repeat(indent)).append("- ");
            if (item instanceof Map) {
                StringBuilder inner = new StringBuilder();
                map((Map<String, Object>) item, indent + 2, inner);
                out.append(inner, indent + 2, inner.length());
            } else if (item instanceof String s) {
                out.append(quote(s)).append('\n');
            } else {
                throw new IllegalArgumentException("a list directly in a list");
            }
        }
    }

    private static String key(String k) {
        return PLAIN_KEY.matcher(k).matches() && !YAML_WORDS.contains(k.toLowerCase())
                ? k
                : quote(k);
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\x%02x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
