package dev.pharos.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the configuration spells a choice: an enum constant in lower case, '-' for '_'. */
final class Labels {
    private Labels() {}

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant spelled {@code text} (blanks and case ignored). */
    static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(type.getEnumConstants()).filter(e -> of(e).equals(t)).findFirst();
    }

    /** "a, b, c": every choice, for messages. */
    static String all(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(Labels::of)
                .collect(Collectors.joining(", "));
    }
}
