package dev.pharos.config;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * What every part of the configuration's validation shares: the mapped configuration, the sink that
 * collects problems (each naming its key), and the small checks several parts use.
 */
abstract class ConfigSection {
    /** Names of nodes, regions, backends, canaries and receivers. */
    static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    protected final PharosConfig config;
    private final BiConsumer<String, String> sink;

    ConfigSection(PharosConfig config, BiConsumer<String, String> sink) {
        this.config = config;
        this.sink = sink;
    }

    protected void problem(String key, String message) {
        sink.accept(key, message);
    }

    protected void checkId(String key, Optional<Long> id) {
        if (id.isPresent() && id.get() < 1) {
            problem(key, "must be a positive Linode id, got " + id.get());
        }
    }

    protected void positive(String key, Duration d) {
        if (!positive(d)) {
            problem(key, "must be positive");
        }
    }

    protected void checkPort(String key, int port) {
        if (port < 1 || port > 65535) {
            problem(key, "port " + port + " is outside 1-65535");
        }
    }

    /** The choice a setting names, or empty once "unknown WHAT 'text' (a, b, c)" is reported. */
    protected <E extends Enum<E>> Optional<E> choice(
            String key, Class<E> type, String text, String what) {
        Optional<E> e = Labels.parse(type, text);
        if (e.isEmpty()) {
            problem(key, "unknown " + what + " '" + text + "' (" + Labels.all(type) + ")");
        }
        return e;
    }

    /** The value of a setting, or empty once its problem is reported. */
    protected <T> Optional<T> parsed(Parsed<T> setting) {
        return setting.value(sink);
    }

    static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    /** "2s", "700ms": a duration as messages show it. */
    static String human(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
