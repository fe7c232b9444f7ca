package dev.pharos.journal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One JSON object of a journal line being read (the {@code data} object or one nested in it), with
 * typed getters. A value that is missing or of the wrong kind fails with the key's path, so a line
 * this version does not understand is reported as such rather than misread.
 */
final class Fields {
    private final String path;
    private final Map<String, Object> map;

    Fields(String path, Map<String, Object> map) {
        this.path = path;
        this.map = map == null ? Map.of() : map;
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    String text(String key) {
        return as(key, String.class, "text");
    }

    Optional<String> optionalText(String key) {
        return has(key) ? Optional.of(text(key)) : Optional.empty();
    }

    int integer(String key) {
        return as(key, Number.class, "number").intValue();
    }

    long number(String key) {
        return as(key, Number.class, "number").longValue();
    }

    boolean flag(String key) {
        return as(key, Boolean.class, "true or false");
    }

    Instant instant(String key) {
        String text = text(key);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw wrong(key, "an instant");
        }
    }

    Optional<Instant> optionalInstant(String key) {
        return has(key) ? Optional.of(instant(key)) : Optional.empty();
    }

    <E extends Enum<E>> E constant(String key, Class<E> type) {
        try {
            return Enum.valueOf(type, text(key));
        } catch (IllegalArgumentException e) {
            throw wrong(key, "one of " + List.of(type.getEnumConstants()));
        }
    }

    List<String> texts(String key) {
        List<String> out = new ArrayList<>();
        for (Object o : as(key, List.class, "a list")) {
            if (!(o instanceof String s)) {
                throw wrong(key, "a list of text");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** An empty list when the key is absent (written only when not empty). */
    List<String> textsOrEmpty(String key) {
        return has(key) ? texts(key) : List.of();
    }

    Map<String, String> textMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        objectMap(key)
                .forEach(
                        (k, v) -> {
                            if (!(v instanceof String s)) {
                                throw wrong(key + "." + k, "text");
                            }
                            out.put(k, s);
                        });
        return Collections.unmodifiableMap(out);
    }

    /** An empty map when the key is absent (written only when not empty). */
    Map<String, String> textMapOrEmpty(String key) {
        return has(key) ? textMap(key) : Map.of();
    }

    Fields object(String key) {
        return new Fields(path + key + ".", objectMap(key));
    }

    /** Each member of an object, read as a typed value, in order. */
    <T> Map<String, T> objects(String key, Function<Fields, T> read) {
        Fields members = object(key);
        Map<String, T> out = new LinkedHashMap<>();
        members.map.keySet().forEach(k -> out.put(k, read.apply(members.object(k))));
        return Collections.unmodifiableMap(out);
    }

    /** Each element of a list of objects, read as a typed value. */
    <T> List<T> list(String key, Function<Fields, T> read) {
        List<T> out = new ArrayList<>();
        List<?> items = as(key, List.class, "a list");
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> m)) {
                throw wrong(key + "[" + i + "]", "an object");
            }
            out.add(read.apply(new Fields(path + key + "[" + i + "].", cast(m))));
        }
        return List.copyOf(out);
    }

    private Map<String, Object> objectMap(String key) {
        return cast(as(key, Map.class, "an object"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private <T> T as(String key, Class<T> type, String what) {
        Object v = map.get(key);
        if (v == null) {
            throw new IllegalArgumentException(path + key + ": missing");
        }
        if (!type.isInstance(v)) {
            throw wrong(key, what);
        }
        return type.cast(v);
    }

    private IllegalArgumentException wrong(String key, String what) {
        return new IllegalArgumentException(path + key + ": not " + what);
    }
}
