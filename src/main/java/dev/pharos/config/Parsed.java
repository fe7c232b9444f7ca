package dev.pharos.config;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One setting read into its value, or the problem that stops start-up, naming the key. The value
 * types parse their own text this way, so that what the validators accept is exactly what the
 * stages later use.
 */
public sealed interface Parsed<T> {

    /** The setting is valid. */
    record Ok<T>(T value) implements Parsed<T> {}

    /** The setting is invalid. */
    record Bad<T>(ConfigProblem problem) implements Parsed<T> {}

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Parsed<T> bad(String key, String message) {
        return new Bad<>(new ConfigProblem(key, message));
    }

    /** The value, or empty once the problem went to {@code problems} as (key, message). */
    default Optional<T> value(BiConsumer<String, String> problems) {
        if (this instanceof Ok<T> ok) {
            return Optional.of(ok.value());
        }
        ConfigProblem p = ((Bad<T>) this).problem();
        problems.accept(p.key(), p.message());
        return Optional.empty();
    }

    /** The value if valid; for a setting whose problem is reported elsewhere. */
    default Optional<T> valid() {
        return this instanceof Ok<T> ok ? Optional.of(ok.value()) : Optional.empty();
    }

    /**
     * The value of a setting that must be valid (a tool or a test naming its own).
     *
     * @throws InvalidConfigException naming the key otherwise
     */
    default T orElseThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new InvalidConfigException(List.of(((Bad<T>) this).problem()));
    }
}
