package dev.pharos.journal;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the {@code data} object of a journal line from plain JSON values (text, numbers, booleans,
 * lists and maps of them), keys in the order given: the shape operators read with {@code jq} and
 * receivers get in notifications.
 */
final class Data {
    private final Map<String, Object> map = new LinkedHashMap<>();

    static Data of() {
        return new Data();
    }

    Data put(String key, Object value) {
        map.put(key, Objects.requireNonNull(value, key));
        return this;
    }

    /** Only when present: an absent value leaves the key out. */
    Data putPresent(String key, Optional<?> value) {
        value.ifPresent(v -> map.put(key, v));
        return this;
    }

    /** Only when not empty: an empty list or map leaves the key out. */
    Data putNonEmpty(String key, Collection<?> value) {
        if (!value.isEmpty()) {
            map.put(key, value);
        }
        return this;
    }

    Data putNonEmpty(String key, Map<?, ?> value) {
        if (!value.isEmpty()) {
            map.put(key, value);
        }
        return this;
    }

    Map<String, Object> map() {
        return Collections.unmodifiableMap(map);
    }

    /** A map of typed values as nested objects, in the map's order. */
    static <V> Map<String, Object> objects(
            Map<String, V> values, Function<V, Map<String, Object>> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, data.apply(v)));
        return Collections.unmodifiableMap(out);
    }

    /** An unmodifiable copy that keeps the order (votes, labels and evidence read in order). */
    static <V> Map<String, V> ordered(Map<String, V> values) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
